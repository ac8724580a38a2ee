-- schemabench: lock_timeout=2s
-- NOT VALID: only new and updated rows are checked; no scan under the lock.
ALTER TABLE legacy_receipts ADD CONSTRAINT legacy_receipts_vendor_id_not_null CHECK (vendor_id IS NOT NULL) NOT VALID;
