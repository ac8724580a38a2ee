-- Dropping the column drops its foreign key.
ALTER TABLE legacy_receipts DROP COLUMN vendor_id;
