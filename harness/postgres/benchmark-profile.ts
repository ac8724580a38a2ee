/**
 * Server settings for benchmark runs. Applied on the command line of servers the
 * harness starts (embedded, testcontainers); on a `url` server they are only
 * recorded, and differences are reported with the results.
 */
export interface ProfileSetting {
  name: string;
  value: string;
  /** The Postgres fact behind the choice. */
  why: string;
  /**
   * First PostgreSQL major that knows the setting. On an older server it is left out
   * with a printed reason (an unknown `-c name` stops the server at start).
   * @default undefined (every supported major knows it)
   */
  since?: number;
}

export const BENCHMARK_PROFILE: readonly ProfileSetting[] = [
  {
    name: 'shared_buffers',
    value: '512MB',
    why: 'holds the scale-1 dataset (~100 MB) several times over, so warm cases measure CPU and buffer access, not the OS cache',
  },
  {
    name: 'work_mem',
    value: '64MB',
    why: 'the 100k-row aggregates and sorts stay in memory (no temp-file spills that would make timings disk-bound)',
  },
  { name: 'maintenance_work_mem', value: '256MB', why: 'index builds after the bulk load sort in memory' },
  {
    name: 'jit',
    value: 'off',
    why: 'JIT compilation costs tens of ms per query and varies run to run; it would dominate millisecond queries',
  },
  {
    name: 'max_parallel_workers_per_gather',
    value: '0',
    why: 'on 2 shared cores parallel workers compete with the client and make plans and timings unstable',
  },
  { name: 'max_parallel_maintenance_workers', value: '0', why: 'same reason, for index builds' },
  {
    name: 'fsync',
    value: 'off',
    why: 'throwaway servers: no flush to the shared disk. Commit latency is excluded from every figure (see docs/providers.md)',
  },
  { name: 'synchronous_commit', value: 'off', why: 'same: a commit does not wait for a WAL flush' },
  { name: 'full_page_writes', value: 'off', why: 'no crash safety needed; less WAL per first touch of a page' },
  {
    name: 'wal_level',
    value: 'minimal',
    why: 'COPY into a table truncated in the same transaction then writes no WAL (and COPY FREEZE applies)',
  },
  { name: 'max_wal_senders', value: '0', why: 'required by wal_level=minimal' },
  { name: 'max_wal_size', value: '4GB', why: 'no checkpoint is forced in the middle of a load or a measurement' },
  { name: 'checkpoint_timeout', value: '30min', why: 'same: no timed checkpoint during a run' },
  {
    name: 'autovacuum',
    value: 'off',
    why: 'no background VACUUM/ANALYZE during measurements; the harness runs VACUUM ANALYZE itself after every load',
  },
];

/**
 * The durable profile: the benchmark profile with crash safety back on, as a production
 * server runs. fsync: WAL and data files are flushed to disk; synchronous_commit: a
 * COMMIT returns only when its WAL record is flushed (one disk flush per committing
 * transaction, shared by the commits that arrive together); full_page_writes: the first
 * change of a page after a checkpoint writes the whole page to WAL. Every other setting
 * stays as in BENCHMARK_PROFILE, so a ratio between the two profiles is the cost of
 * durability (`schemabench run --profile durable`).
 */
export const DURABLE_PROFILE: readonly ProfileSetting[] = BENCHMARK_PROFILE.map((s) => {
  switch (s.name) {
    case 'fsync':
      return { ...s, value: 'on', why: 'durable: WAL and data are flushed to disk, as on a production server' };
    case 'synchronous_commit':
      return { ...s, value: 'on', why: 'durable: COMMIT waits for its WAL flush, so commit latency is in every write figure' };
    case 'full_page_writes':
      return { ...s, value: 'on', why: 'durable: torn-page protection, more WAL after each checkpoint' };
    default:
      return s;
  }
});

export const PROFILES = { benchmark: BENCHMARK_PROFILE, durable: DURABLE_PROFILE } as const;
export type ProfileName = keyof typeof PROFILES;

/** The settings a major knows, and a reason for each one it does not. */
export function profileForMajor(major: number, profile: readonly ProfileSetting[] = BENCHMARK_PROFILE): { settings: ProfileSetting[]; skipped: string[] } {
  const settings = profile.filter((s) => s.since === undefined || major >= s.since);
  const skipped = profile
    .filter((s) => !settings.includes(s))
    .map((s) => `${s.name}=${s.value} skipped: PostgreSQL ${major} has no such setting (added in ${s.since})`);
  return { settings, skipped };
}

/** `-c name=value` arguments for a postgres command line. */
export function profileArgs(profile: readonly ProfileSetting[] = BENCHMARK_PROFILE): string[] {
  return profile.flatMap((s) => ['-c', `${s.name}=${s.value}`]);
}
