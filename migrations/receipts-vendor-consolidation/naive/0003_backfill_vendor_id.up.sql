-- schemabench: lock_timeout=10min
-- Naive: one UPDATE of every row in one transaction; each row stays locked until it commits.
-- Nothing fills rows inserted without vendor_id after its snapshot: they stay NULL, and
-- 0004's SET NOT NULL then fails (specs/safe-migration.test.ts).
UPDATE legacy_receipts r SET vendor_id = v.id
  FROM legacy_vendors v
 WHERE v.key = legacy_vendor_key(r.vendor_name) AND r.vendor_id IS NULL;
