DROP TABLE legacy_vendors;
--> statement-breakpoint
DROP FUNCTION legacy_vendor_key(text);
