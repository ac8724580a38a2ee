-- schemabench: lock_timeout=10min
-- Naive: one UPDATE of every row in one transaction; each row stays locked until it commits.
UPDATE legacy_receipts r SET vendor_id = v.id
  FROM legacy_vendors v
 WHERE v.key = legacy_vendor_key(r.vendor_name) AND r.vendor_id IS NULL;
