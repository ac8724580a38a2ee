/**
 * The turn coordinator (harness/compare/turn-coordinator.ts) with two real schedulers over
 * its unix socket, as compare's two sides use it: in step they alternate in round pairs
 * (A, B, B, A, ...), each side going first half of the time; a side that needed more rounds
 * of a test catches up before the other goes on, so the next test's rounds pair within a
 * turn or two (latency-ratio.ts pairs rounds at most MAX_TURN_GAP apart). No timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { roundScheduler, type RoundScheduler } from '../harness/bench/round-scheduler.ts';
import { startTurnCoordinator, type TurnCoordinator } from '../harness/compare/turn-coordinator.ts';
import { MAX_TURN_GAP } from '../harness/judge/latency-ratio.ts';

let dir: string | undefined;
let coordinator: TurnCoordinator | undefined;
afterEach(async () => {
  await coordinator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  [dir, coordinator] = [undefined, undefined];
});

async function sides(): Promise<[RoundScheduler, RoundScheduler]> {
  dir = mkdtempSync(join(tmpdir(), 'schemabench-turns-'));
  coordinator = await startTurnCoordinator(join(dir, 'turns.sock'));
  return [roundScheduler({ socket: coordinator.path, side: 'base' }), roundScheduler({ socket: coordinator.path, side: 'head' })];
}

/** One side's suite file: hold the file's turn, then `rounds[t]` rounds of test t; the turn of each round. */
async function suite(s: RoundScheduler, rounds: number[]): Promise<number[][]> {
  await s.hold('file.bench.ts');
  const turns: number[][] = [];
  for (const [t, n] of rounds.entries()) {
    const label = `file.bench.ts::test ${t}`;
    const taken: number[] = [];
    for (let r = 0; r < n; r++) taken.push((await s.pass(label))!);
    turns.push(taken);
  }
  s.release();
  return turns;
}

/** Round k of one side against round k of the other, as latency-ratio.ts pairs them. */
const gaps = (a: number[], b: number[]) => a.slice(0, Math.min(a.length, b.length)).map((t, k) => Math.abs(t - b[k]!));

describe('the turn coordinator', () => {
  it('in step: rounds alternate in pairs (A, B, B, A), so each side goes first in half of the round pairs', async () => {
    const [base, head] = await sides();
    const [b, h] = await Promise.all([suite(base, [8]), suite(head, [8])]);
    expect(gaps(b[0]!, h[0]!).every((g) => g === 1)).toBe(true);
    const baseFirst = b[0]!.filter((t, k) => t < h[0]![k]!).length;
    expect(baseFirst).toBe(4);
    // One turn at a time: no turn number is given twice.
    expect(new Set([...b.flat(), ...h.flat()]).size).toBe(b.flat().length + h.flat().length);
  });

  it('a side that needed more rounds of a test catches up: the next tests pair within two turns', async () => {
    const [base, head] = await sides();
    // A sequential test that decides after 10 rounds on base and 4 on head, then two tests in step.
    const [b, h] = await Promise.all([suite(base, [10, 6, 6]), suite(head, [4, 6, 6])]);
    const log = coordinator!.log();
    // Base's rounds 5-10 of test 0 follow each other: head waited with its test 1.
    const extra = b[0]!.slice(4);
    expect(extra).toEqual(extra.map((_, k) => extra[0]! + k));
    for (const t of [1, 2]) {
      // A, A, B, B from the first round after the catch-up: each pair two turns apart at most.
      expect(Math.max(...gaps(b[t]!, h[t]!))).toBeLessThanOrEqual(Math.min(2, MAX_TURN_GAP));
    }
    expect(log.filter((r) => r.label === 'file.bench.ts::test 1').map((r) => r.side).sort()).toEqual([...Array(6).fill('base'), ...Array(6).fill('head')]);
  });

  it('labels only one side has (a test head added) alternate with the other side\'s, and nobody waits for ever', async () => {
    const [base, head] = await sides();
    const [b, h] = await Promise.all([suite(base, [5]), suite(head, [3, 5])]);
    expect(b.flat()).toHaveLength(5);
    expect(h.flat()).toHaveLength(8);
  });
});
