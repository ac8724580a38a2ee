-- schemabench: transaction=off batch=legacy_receipts.id:10000 lock_timeout=2s
-- 10,000 rows per transaction: row locks are held for one batch, not the whole
-- table. "vendor_id IS NULL" makes a rerun after a failure resume, not redo.
UPDATE legacy_receipts r SET vendor_id = v.id
  FROM legacy_vendors v
 WHERE v.key = legacy_vendor_key(r.vendor_name) AND r.id >= $1 AND r.id < $2 AND r.vendor_id IS NULL;
