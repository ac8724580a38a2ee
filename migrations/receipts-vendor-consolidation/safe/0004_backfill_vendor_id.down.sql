UPDATE legacy_receipts SET vendor_id = NULL WHERE vendor_id IS NOT NULL;
