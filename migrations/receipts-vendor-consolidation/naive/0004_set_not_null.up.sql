-- schemabench: lock_timeout=10min
-- Naive: SET NOT NULL scans the whole table under ACCESS EXCLUSIVE (not even SELECT runs).
ALTER TABLE legacy_receipts ALTER COLUMN vendor_id SET NOT NULL;
