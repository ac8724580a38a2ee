-- schemabench: lock_timeout=2s
-- With a valid CHECK (vendor_id IS NOT NULL), SET NOT NULL skips its full-table scan
-- (PostgreSQL 12+): ACCESS EXCLUSIVE for a moment. The CHECK is then redundant.
ALTER TABLE legacy_receipts ALTER COLUMN vendor_id SET NOT NULL;
--> statement-breakpoint
ALTER TABLE legacy_receipts DROP CONSTRAINT legacy_receipts_vendor_id_not_null;
