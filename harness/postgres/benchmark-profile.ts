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
