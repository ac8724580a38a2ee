-- schemabench: lock_timeout=2s
-- Vendors dimension from the consolidated free-text names. Reading legacy_receipts
-- takes ACCESS SHARE only: the application keeps reading and writing.
-- The key: lower case, no apostrophes, white space collapsed and trimmed, no leading "the ".
CREATE FUNCTION legacy_vendor_key(name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN regexp_replace(lower(btrim(regexp_replace(replace(name, '''', ''), '\s+', ' ', 'g'))), '^the ', '');
--> statement-breakpoint
CREATE TABLE legacy_vendors (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key text NOT NULL UNIQUE,
  name text NOT NULL
);
--> statement-breakpoint
-- The display name is the spelling used most often for that vendor.
INSERT INTO legacy_vendors (key, name)
SELECT legacy_vendor_key(vendor_name), mode() WITHIN GROUP (ORDER BY vendor_name)
  FROM legacy_receipts GROUP BY 1 ORDER BY 1;
