/**
 * Who started something (a database on a `url` server, an output folder's lock): this
 * host, a process id and that process's start time. The start time tells a live owner
 * from an unrelated process that reused its PID: on Linux it is read from
 * /proc/PID/stat (start time in clock ticks after boot, field 22) and /proc/stat
 * (boot time), so the same process always yields the same value.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessOwner {
  host: string;
  pid: number;
  /** The owner's start time (ISO 8601), from /proc when available. */
  started: string;
}

/** True while a process with this PID exists (EPERM: it exists, owned by another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** USER_HZ: the unit of /proc/PID/stat times; 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

function bootTimeSeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('btime '));
    return line ? Number(line.slice(6)) : undefined;
  } catch {
    return undefined;
  }
}

/** Start time of process `pid` (ISO 8601), or undefined where /proc cannot tell. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const boot = bootTimeSeconds();
    if (!Number.isFinite(ticks) || boot === undefined) return undefined;
    return new Date(boot * 1000 + (ticks * 1000) / CLOCK_TICKS_PER_SECOND).toISOString();
  } catch {
    return undefined;
  }
}

/** This process as an owner. */
export function currentOwner(): ProcessOwner {
  return { host: hostname(), pid: process.pid, started: processStart(process.pid) ?? new Date(performance.timeOrigin).toISOString() };
}

/**
 * True when `owner` ran on this host and is gone: its PID is free, or now names a
 * process that started at another time. An owner on another host is never "gone"
 * (nothing here can tell).
 */
export function ownerGone(owner: ProcessOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0 || !isAlive(owner.pid)) return true;
  const started = processStart(owner.pid);
  return started !== undefined && started !== owner.started;
}

/** "pid 123 on host, started 2026-...": for messages. */
export function describeOwner(owner: ProcessOwner): string {
  return `pid ${owner.pid} on ${owner.host}, started ${owner.started}`;
}
