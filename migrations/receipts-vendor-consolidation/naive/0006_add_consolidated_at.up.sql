-- schemabench: lock_timeout=10min
-- Naive: a volatile default (clock_timestamp()) must be computed per row: the table
-- is rewritten under ACCESS EXCLUSIVE.
ALTER TABLE legacy_receipts ADD COLUMN consolidated_at timestamptz NOT NULL DEFAULT clock_timestamp();
