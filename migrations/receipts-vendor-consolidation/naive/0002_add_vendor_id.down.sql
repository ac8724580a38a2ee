ALTER TABLE legacy_receipts DROP COLUMN vendor_id;
