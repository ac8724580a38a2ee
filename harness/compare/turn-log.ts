/**
 * Did base and head measure at the same time? Each side records a window (start, end,
 * the turn it held) for every measurement (round-scheduler.ts); the coordinator logs
 * every turn it handed out (turn-coordinator.ts). A window overlaps when it intersects a
 * window of the other side, or when it does not lie inside a turn its own side held
 * (measured without the turn: nothing kept the other side still). Both clocks are the
 * machine's (epoch ms with the monotonic clock's resolution); EPSILON_MS absorbs the
 * drift between two processes' time origins.
 */
import type { MeasurementWindow } from '../results/results-schema.ts';
import type { TurnRecord } from './turn-coordinator.ts';

export const EPSILON_MS = 5;

export interface Overlaps {
  /** Windows that overlapped (each counted once). */
  count: number;
  /** A few of them, one line each, for the notes. */
  examples: string[];
}

interface Sided extends MeasurementWindow {
  side: 'base' | 'head';
}

const describe = (w: Sided, why: string) => `${w.side} ${w.label}${w.turn === undefined ? '' : ` (turn ${w.turn})`}: ${why}`;

function outsideTurn(w: Sided, turns: ReadonlyMap<number, TurnRecord>): string | undefined {
  if (w.turn === undefined) return 'measured without a turn';
  const t = turns.get(w.turn);
  if (!t || t.side !== w.side) return `measured in turn ${w.turn}, which was not ${w.side}'s`;
  if (w.start < t.granted - EPSILON_MS || w.end > (t.released ?? Number.POSITIVE_INFINITY) + EPSILON_MS) return `measured outside its turn ${w.turn}`;
  return undefined;
}

export function measurementOverlaps(base: readonly MeasurementWindow[], head: readonly MeasurementWindow[], log: readonly TurnRecord[]): Overlaps {
  const turns = new Map(log.map((t) => [t.turn, t]));
  const all: Sided[] = [...base.map((w) => ({ ...w, side: 'base' as const })), ...head.map((w) => ({ ...w, side: 'head' as const }))].sort((a, b) => a.start - b.start);
  const bad = new Map<Sided, string>();
  for (const w of all) {
    const why = outsideTurn(w, turns);
    if (why) bad.set(w, why);
  }
  // Sweep by start: a window overlaps every later-starting window of the other side that starts before it ends.
  for (let i = 0; i < all.length; i++) {
    const w = all[i]!;
    for (let j = i + 1; j < all.length && all[j]!.start < w.end - EPSILON_MS; j++) {
      const other = all[j]!;
      if (other.side === w.side) continue;
      if (!bad.has(w)) bad.set(w, `overlapped ${other.side} ${other.label}`);
      if (!bad.has(other)) bad.set(other, `overlapped ${w.side} ${w.label}`);
    }
  }
  return { count: bad.size, examples: [...bad].slice(0, 5).map(([w, why]) => describe(w, why)) };
}
