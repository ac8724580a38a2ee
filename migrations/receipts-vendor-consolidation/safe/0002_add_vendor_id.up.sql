-- schemabench: lock_timeout=2s
-- A nullable column without a default: a catalog change (ACCESS EXCLUSIVE for
-- microseconds, no rewrite). The foreign key NOT VALID checks new rows only, so it
-- does not scan the table while holding its lock.
ALTER TABLE legacy_receipts ADD COLUMN vendor_id integer;
--> statement-breakpoint
ALTER TABLE legacy_receipts ADD CONSTRAINT legacy_receipts_vendor_id_fk
  FOREIGN KEY (vendor_id) REFERENCES legacy_vendors (id) NOT VALID;
