/**
 * pgbench (PostgreSQL's own load generator, from the postgresql-client package) on a
 * custom script against the same database, as the reference our driver is checked
 * against. It connects over TCP to the URI's host and port with the URI's user; the
 * password goes in PGPASSWORD, never on the command line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgbenchOptions {
  uri: string;
  /** pgbench custom script (`\set id random(1, 100000)` lines, then SQL with :id). */
  script: string;
  /** @default 4 */
  clients?: number;
  /** pgbench worker threads (-j). @default min(clients, 2) */
  threads?: number;
  /** Run time, whole seconds (-T). @default 2 */
  seconds?: number;
  /** Query protocol (-M). @default 'prepared' */
  protocol?: 'simple' | 'extended' | 'prepared';
  /** @default 'pgbench' (found on PATH) */
  executable?: string;
}

export interface PgbenchRun {
  /** Transactions per second, without the initial connection time (pgbench's own figure). */
  tps: number;
  transactions: number;
  /** Mean latency, ms, as pgbench reports it. */
  latencyMs: number;
  output: string;
}

/** Parse pgbench's summary: "number of transactions actually processed: N", "latency average = X ms", "tps = Y (without initial connection time)". */
export function parsePgbenchOutput(output: string): Omit<PgbenchRun, 'output'> {
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
  const count = /number of transactions actually processed: (\d+)/.exec(output);
  const latency = /latency average = ([\d.]+) ms/.exec(output);
  if (!tps || !count) throw new Error(`pgbench printed no summary:\n${output.trim()}`);
  return { tps: Number(tps[1]), transactions: Number(count[1]), latencyMs: latency ? Number(latency[1]) : NaN };
}

export async function runPgbench(options: PgbenchOptions): Promise<PgbenchRun> {
  const url = new URL(options.uri);
  const clients = options.clients ?? 4;
  const dir = mkdtempSync(join(tmpdir(), 'schemabench-pgbench-'));
  const script = join(dir, 'transaction.sql');
  writeFileSync(script, options.script);
  const args = [
    '--no-vacuum',
    `--file=${script}`,
    `--client=${clients}`,
    `--jobs=${options.threads ?? Math.min(clients, 2)}`,
    `--time=${options.seconds ?? 2}`,
    `--protocol=${options.protocol ?? 'prepared'}`,
    `--host=${url.hostname}`,
    `--port=${url.port || '5432'}`,
    `--username=${decodeURIComponent(url.username)}`,
    decodeURIComponent(url.pathname.slice(1)),
  ];
  try {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        options.executable ?? 'pgbench',
        args,
        { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password), PGSSLMODE: 'disable' }, timeout: ((options.seconds ?? 2) + 60) * 1000 },
        (error, stdout, stderr) => (error ? reject(new Error(`pgbench failed: ${stderr.trim() || error.message}`)) : resolve(`${stdout}${stderr}`)),
      );
    });
    return { ...parsePgbenchOutput(output), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
