-- schemabench: lock_timeout=10min
-- Naive: a plain CREATE INDEX holds SHARE: every INSERT and UPDATE waits for the build.
CREATE INDEX legacy_receipts_vendor_id_idx ON legacy_receipts (vendor_id);
