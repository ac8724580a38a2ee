UPDATE legacy_receipts SET vendor_id = NULL;
