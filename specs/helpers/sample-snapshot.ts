/** A small valid statistics snapshot for specs (one table, one text column). */
import type { StatisticsSnapshot } from '../../harness/stats/statistics-snapshot.ts';

export function sampleSnapshot(): StatisticsSnapshot {
  return {
    format: 'schemabench-statistics',
    formatVersion: 1,
    workload: 'receipts',
    capturedAt: '2026-12-05T10:00:00.000Z',
    server: { version: '18.4', versionNum: 180004 },
    redaction: null,
    tables: [
      {
        schema: 'public',
        name: 'vendors',
        reltuples: 14,
        relpages: 1,
        relallvisible: 1,
        bytes: { table: 8192, toast: 8192, indexes: 32768, total: 65536 },
        indexes: [{ name: 'vendors_pkey', definition: 'CREATE UNIQUE INDEX vendors_pkey ON public.vendors USING btree (id)', relpages: 2, reltuples: 14, bytes: 16384 }],
        columns: [
          {
            name: 'name',
            type: 'text',
            collation: 'default',
            inherited: false,
            null_frac: 0,
            avg_width: 9,
            n_distinct: -1,
            most_common_vals: ['Lowes', 'Home Depot'],
            most_common_freqs: [0.5, 0.25],
            histogram_bounds: ['Ace Hardware', 'Fastenal', 'Menards'],
            correlation: 0.4,
            most_common_elems: null,
            most_common_elem_freqs: null,
            elem_count_histogram: null,
          },
        ],
        extended: [],
      },
    ],
  };
}

/** A snapshot holding only row counts (reltuples) of `tables`: what a migration forecast reads. */
export function rowsSnapshot(tables: Record<string, number>): StatisticsSnapshot {
  const shape = sampleSnapshot().tables[0]!;
  return { ...sampleSnapshot(), tables: Object.entries(tables).map(([name, reltuples]) => ({ ...shape, name, reltuples, indexes: [], columns: [] })) };
}
