-- schemabench: lock_timeout=2s
-- VALIDATE scans under SHARE UPDATE EXCLUSIVE: reads and writes go on meanwhile.
ALTER TABLE legacy_receipts VALIDATE CONSTRAINT legacy_receipts_vendor_id_fk;
