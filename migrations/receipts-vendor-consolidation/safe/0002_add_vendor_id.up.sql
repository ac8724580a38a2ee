-- schemabench: lock_timeout=2s
-- A nullable column without a default: a catalog change (ACCESS EXCLUSIVE for
-- microseconds, no rewrite). The foreign key NOT VALID checks new rows only, so it
-- does not scan the table while holding its lock.
ALTER TABLE legacy_receipts ADD COLUMN vendor_id integer;
--> statement-breakpoint
ALTER TABLE legacy_receipts ADD CONSTRAINT legacy_receipts_vendor_id_fk
  FOREIGN KEY (vendor_id) REFERENCES legacy_vendors (id) NOT VALID;
--> statement-breakpoint
-- A writer that does not set vendor_id yet (the old release, still finishing a request
-- when the backfill starts) would leave a NULL no backfill batch sees: under READ
-- COMMITTED each UPDATE reads a snapshot taken when it starts, so a row whose INSERT
-- commits after that moment is invisible to it, and the UPDATE does not wait for it.
-- This trigger fills vendor_id in every row inserted from now on, whatever the writer,
-- until SET NOT NULL (0007) drops it.
CREATE FUNCTION legacy_receipts_fill_vendor_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT id INTO NEW.vendor_id FROM legacy_vendors WHERE key = legacy_vendor_key(NEW.vendor_name);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER legacy_receipts_fill_vendor_id BEFORE INSERT ON legacy_receipts
  FOR EACH ROW WHEN (NEW.vendor_id IS NULL) EXECUTE FUNCTION legacy_receipts_fill_vendor_id();
