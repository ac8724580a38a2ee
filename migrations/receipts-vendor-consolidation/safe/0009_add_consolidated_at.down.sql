ALTER TABLE legacy_receipts DROP COLUMN consolidated_at;
