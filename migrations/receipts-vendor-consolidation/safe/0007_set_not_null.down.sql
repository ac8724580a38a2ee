ALTER TABLE legacy_receipts ALTER COLUMN vendor_id DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE legacy_receipts ADD CONSTRAINT legacy_receipts_vendor_id_not_null CHECK (vendor_id IS NOT NULL) NOT VALID;
