/** Names the seed report looks up, with the seed's own figures for each row. */
export { ROWS_PER_ITERATION as ROWS_PER_INSERT_ITERATION } from './insert-methods-config.ts';

export const QUERY_TYPE_LABELS = [
  { name: 'receipts/query/simple-aggregation', label: 'Simple Aggregation', seed: '85 ms / 28 ms / 3.0x' },
  { name: 'receipts/query/complex-join-5-tables', label: 'Complex Join (5 tables)', seed: '320 ms / 95 ms / 3.4x' },
  { name: 'receipts/query/date-analysis', label: 'Date Analysis', seed: '180 ms / 60 ms / 3.0x' },
];

export const INSERT_VARIANTS = [
  { variant: 'single-autocommit', label: 'Single INSERT (autocommit)', seed: '500, 200 s' },
  { variant: 'single-transaction', label: 'Single INSERTs, one transaction', seed: '-' },
  { variant: 'multi-row-values', label: 'Batch INSERT (multi-row VALUES)', seed: '5,000, 20 s' },
  { variant: 'unnest-arrays', label: 'Batch INSERT (unnest arrays)', seed: '-' },
  { variant: 'copy', label: 'COPY command', seed: '50,000, 2 s' },
];
