-- schemabench: lock_timeout=2s
-- With a valid CHECK (vendor_id IS NOT NULL), SET NOT NULL skips its full-table scan
-- (PostgreSQL 12+): ACCESS EXCLUSIVE for a moment. The CHECK is then redundant.
ALTER TABLE legacy_receipts ALTER COLUMN vendor_id SET NOT NULL;
--> statement-breakpoint
ALTER TABLE legacy_receipts DROP CONSTRAINT legacy_receipts_vendor_id_not_null;
--> statement-breakpoint
-- Every row has its vendor_id and NOT NULL now guards new ones: the backfill's trigger
-- (0002) goes, in the same transaction (its ACCESS EXCLUSIVE is already held).
DROP TRIGGER legacy_receipts_fill_vendor_id ON legacy_receipts;
--> statement-breakpoint
DROP FUNCTION legacy_receipts_fill_vendor_id();
