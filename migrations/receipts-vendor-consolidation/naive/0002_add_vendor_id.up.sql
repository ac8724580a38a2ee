-- schemabench: lock_timeout=10min
-- Naive: the foreign key is validated at once, scanning the table under SHARE ROW
-- EXCLUSIVE (writes wait). lock_timeout is long, as in a migration nobody tuned.
ALTER TABLE legacy_receipts ADD COLUMN vendor_id integer REFERENCES legacy_vendors (id);
