-- schemabench: transaction=off lock_timeout=2s
-- CONCURRENTLY: SHARE UPDATE EXCLUSIVE, writes go on; cannot run in a transaction.
-- A failed concurrent build leaves an INVALID index behind: drop it first so a rerun works.
DROP INDEX CONCURRENTLY IF EXISTS legacy_receipts_vendor_id_idx;
--> statement-breakpoint
CREATE INDEX CONCURRENTLY legacy_receipts_vendor_id_idx ON legacy_receipts (vendor_id);
