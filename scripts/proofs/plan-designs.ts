/**
 * The designs tried to make a small dataset plan like production (docs/production-statistics.md,
 * "What the planner takes from the relation"). Each prepares a fresh copy of the small
 * dataset (or, for `thinned`, of production) and is then planned against production. Used
 * by production-stats.ts --designs; investigation code, not the library.
 */
import { chownSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { withConnection } from '../../harness/postgres/with-connection.ts';
import { injectStatistics } from '../../harness/stats/inject-statistics.ts';
import type { StatisticsSnapshot } from '../../harness/stats/statistics-snapshot.ts';

export interface DesignContext {
  snapshot: StatisticsSnapshot;
  /** Scratch folder on the server's machine (tablespaces), removed by the caller. */
  scratch: string;
  /** OS user the server runs as (tablespace folders must be its own). */
  serverUser?: { uid: number; gid: number };
}

export interface Design {
  name: string;
  /** What it does, one line, for the table. */
  what: string;
  /** `production`: the design starts from a copy of production instead of the small dataset. */
  from: 'small' | 'production';
  prepare(uri: string, context: DesignContext): Promise<void>;
}

const id = pg.escapeIdentifier;

/** Big tables: those whose production heap is more than 4x the copy's (dimension tables are the same size at any scale). */
async function scaledTables(client: pg.Client, snapshot: StatisticsSnapshot): Promise<{ name: string; ratio: number }[]> {
  const out: { name: string; ratio: number }[] = [];
  for (const t of snapshot.tables) {
    const { rows } = await client.query<{ pages: number }>("SELECT (pg_relation_size(to_regclass($1)) / current_setting('block_size')::int)::int AS pages", [id(t.name)]);
    const pages = rows[0]?.pages ?? 0;
    if (pages > 0 && t.relpages > 4 * pages) out.push({ name: t.name, ratio: t.relpages / pages });
  }
  return out;
}

async function inject(uri: string, snapshot: StatisticsSnapshot, pages: 'current' | 'captured', pageCosts: 'scaled' | 'unchanged' = 'unchanged'): Promise<void> {
  await withConnection(uri, async (c) => {
    const result = await injectStatistics(c, snapshot, { pages, pageCosts });
    if (!result.injected) throw new Error(result.reason);
  });
}

export const DESIGNS: Design[] = [
  { name: 'none', what: 'the small dataset as loaded (its own ANALYZE)', from: 'small', prepare: async () => undefined },
  {
    name: 'as-captured',
    what: "inject production's statistics as captured (relpages, reltuples)",
    from: 'small',
    prepare: (uri, { snapshot }) => inject(uri, snapshot, 'captured'),
  },
  {
    name: 'rows',
    what: "inject with relpages = the table's current pages, reltuples = production's; page costs unchanged",
    from: 'small',
    prepare: (uri, { snapshot }) => inject(uri, snapshot, 'current'),
  },
  {
    name: 'rows+page-costs',
    what: "rows, and this database's seq_page_cost/random_page_cost x production pages / current pages (injectStatistics' default)",
    from: 'small',
    prepare: (uri, { snapshot }) => inject(uri, snapshot, 'current', 'scaled'),
  },
  {
    name: 'tablespace-costs',
    what: "rows, each big table and its indexes in a tablespace whose page costs are x its page ratio (superuser)",
    from: 'small',
    async prepare(uri, { snapshot, scratch, serverUser }) {
      await inject(uri, snapshot, 'current');
      await withConnection(uri, async (c) => {
        for (const t of await scaledTables(c, snapshot)) {
          const space = `sb_${t.name}_${process.pid}`.slice(0, 63);
          const dir = join(scratch, space);
          mkdirSync(dir, { recursive: true });
          if (serverUser) chownSync(dir, serverUser.uid, serverUser.gid);
          await c.query(`CREATE TABLESPACE ${id(space)} LOCATION ${pg.escapeLiteral(dir)}`);
          await c.query(`ALTER TABLESPACE ${id(space)} SET (seq_page_cost = ${t.ratio.toFixed(3)}, random_page_cost = ${(4 * t.ratio).toFixed(3)})`);
          // SET TABLESPACE moves the files; pg_class and pg_statistic (the injected statistics) stay.
          await c.query(`ALTER TABLE ${id(t.name)} SET TABLESPACE ${id(space)}`);
          const { rows } = await c.query<{ name: string }>('SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = to_regclass($1)', [id(t.name)]);
          for (const index of rows) await c.query(`ALTER INDEX ${index.name} SET TABLESPACE ${id(space)}`);
        }
      });
    },
  },
  {
    name: 'fillfactor-10',
    what: 'big tables rewritten at fillfactor 10 (VACUUM FULL: up to 10x the pages), then rows',
    from: 'small',
    async prepare(uri, { snapshot }) {
      await withConnection(uri, async (c) => {
        for (const t of await scaledTables(c, snapshot)) {
          await c.query(`ALTER TABLE ${id(t.name)} SET (fillfactor = 10)`);
          // VACUUM FULL rewrites the heap leaving fillfactor's free space on every page; it also rebuilds the indexes (at their own size).
          await c.query(`VACUUM FULL ${id(t.name)}`);
        }
      });
      await inject(uri, snapshot, 'current');
    },
  },
  {
    name: 'thinned',
    what: "production's files with 97% of the big tables' rows deleted, VACUUM (TRUNCATE false), then injected as captured: production's page counts exactly",
    from: 'production',
    async prepare(uri, { snapshot }) {
      await withConnection(uri, async (c) => {
        // Foreign keys are triggers: session_replication_role = replica skips them (superuser).
        await c.query('SET session_replication_role = replica');
        for (const t of snapshot.tables.filter((x) => x.reltuples > 10_000)) {
          await c.query(`DELETE FROM ${id(t.name)} WHERE (hashtext(ctid::text) & 1023) >= 31`);
          // VACUUM keeps the emptied pages (no truncation); it resets pg_class, so injection comes after it.
          await c.query(`ALTER TABLE ${id(t.name)} SET (vacuum_truncate = false)`);
          await c.query(`VACUUM ${id(t.name)}`);
        }
      });
      await inject(uri, snapshot, 'captured');
    },
  },
];

export function removeScratch(scratch: string): void {
  rmSync(scratch, { recursive: true, force: true });
}
