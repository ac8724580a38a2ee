-- schemabench: lock_timeout=2s
-- The scan happens here, under SHARE UPDATE EXCLUSIVE.
ALTER TABLE legacy_receipts VALIDATE CONSTRAINT legacy_receipts_vendor_id_not_null;
