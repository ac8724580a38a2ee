-- schemabench: lock_timeout=2s
-- now() is stable: evaluated once and stored as the column's default in the catalog
-- (PostgreSQL 11+): no rewrite.
ALTER TABLE legacy_receipts ADD COLUMN consolidated_at timestamptz DEFAULT now();
