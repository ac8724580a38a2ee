CREATE FUNCTION legacy_receipts_fill_vendor_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT id INTO NEW.vendor_id FROM legacy_vendors WHERE key = legacy_vendor_key(NEW.vendor_name);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER legacy_receipts_fill_vendor_id BEFORE INSERT ON legacy_receipts
  FOR EACH ROW WHEN (NEW.vendor_id IS NULL) EXECUTE FUNCTION legacy_receipts_fill_vendor_id();
--> statement-breakpoint
ALTER TABLE legacy_receipts ALTER COLUMN vendor_id DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE legacy_receipts ADD CONSTRAINT legacy_receipts_vendor_id_not_null CHECK (vendor_id IS NOT NULL) NOT VALID;
