-- schemabench: transaction=off
DROP INDEX CONCURRENTLY IF EXISTS legacy_receipts_vendor_id_idx;
