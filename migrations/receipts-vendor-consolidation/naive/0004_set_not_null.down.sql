ALTER TABLE legacy_receipts ALTER COLUMN vendor_id DROP NOT NULL;
