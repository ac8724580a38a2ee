/**
 * Taking turns with another run on the same server (`schemabench compare`): base and
 * head run their suites at the same time, each in its own vitest, and only one of them
 * works at a time. A suite file holds the turn from its dataset to its last test and
 * hands it over before every measured round, so base's round k of a case and head's
 * round k of the same case run back to back: whatever the machine was doing at that
 * moment weighs on both sides of the pair, and the pair's ratio cancels it.
 *
 * Each suite file gets its own scheduler (benchmark-suite.ts) and hands it to what it
 * measures; every measurement (a round, a load interval, an inspect, a scaling step)
 * runs inside `measure`, which records its window (start and end, epoch ms) and the
 * turn it held: compare checks afterwards that no window of one side overlapped one of
 * the other (turn-log.ts). Labels name what is measured (file, test, case), so that
 * values the sides agree on (iterations per round) are matched by name, never by the
 * order of calls.
 *
 * The coordinator (harness/compare/turn-coordinator.ts) listens on the unix socket the
 * run descriptor names; one line per message: `side <base|head>` first, then `want
 * <label>` answered by `go <turn>` when the turn is this side's, `done` to give it back,
 * and `agree <label> <n>` answered by `agreed <m>`, the first value either side proposed
 * for that label. Labels travel URI-encoded. Alone (outside compare) a scheduler never
 * waits and records nothing.
 */
import net from 'node:net';
import type { RunDescriptor } from '../run-descriptor.ts';

/** When one side measured, as its own clock (epoch ms, sub-millisecond) saw it. */
export interface MeasurementWindow {
  label: string;
  /** The turn held while measuring (absent alone). */
  turn?: number;
  start: number;
  end: number;
}

export interface RoundScheduler {
  /** Wait for the turn; resolves with its number (undefined alone). */
  hold(label: string): Promise<number | undefined>;
  /** Give the turn to the other side if it waits, then wait for it again: before every measured round. */
  pass(label: string): Promise<number | undefined>;
  /** Give the turn back for good (end of a suite file). */
  release(): void;
  /**
   * Both sides use the same value for `label`: the first one proposed. Iterations per round
   * are agreed this way, so that a case whose state builds up with every run (rows
   * updated, dead tuples) does the same work on both sides.
   */
  agree(label: string, value: number): Promise<number>;
  /** Run `body` as a measurement of `label` in the turn held now, recording its window. */
  measure<T>(label: string, body: () => Promise<T>): Promise<T>;
  /** The windows measured so far (empty alone). */
  readonly windows: readonly MeasurementWindow[];
}

/** Wall time in epoch ms with the monotonic clock's resolution: comparable across processes of one machine. */
export const epochMs = () => performance.timeOrigin + performance.now();

const alone: RoundScheduler = {
  hold: async () => undefined,
  pass: async () => undefined,
  release: () => undefined,
  agree: async (_label, value) => value,
  measure: (_label, body) => body(),
  windows: [],
};

class SocketScheduler implements RoundScheduler {
  private socket: net.Socket | undefined;
  private buffered = '';
  private waiting: ((turn: number) => void) | undefined;
  private agreeing: ((value: number) => void) | undefined;
  private failed: Error | undefined;
  private turn: number | undefined;
  readonly windows: MeasurementWindow[] = [];

  constructor(
    private readonly path: string,
    private readonly side: 'base' | 'head',
  ) {}

  private connect(): net.Socket {
    if (this.socket) return this.socket;
    const socket = net.createConnection(this.path);
    socket.setEncoding('utf8');
    socket.write(`side ${this.side}\n`);
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        const m = /^(go|agreed) (\d+)$/.exec(line);
        const resolve = m?.[1] === 'go' ? this.waiting : this.agreeing;
        if (!m || !resolve) continue;
        if (m[1] === 'go') this.waiting = undefined;
        else this.agreeing = undefined;
        resolve(Number(m[2]));
      }
    });
    socket.on('error', (error) => {
      this.failed = new Error(`schemabench compare: lost the turn coordinator (${error.message})`);
    });
    this.socket = socket;
    return socket;
  }

  hold(label: string): Promise<number | undefined> {
    return this.want(label, '');
  }

  pass(label: string): Promise<number | undefined> {
    this.turn = undefined;
    // One write: the coordinator reads `done` and the next `want` together, this side already waiting when it chooses.
    return this.want(label, 'done\n');
  }

  /** Ask for the turn (after `before`, in the same write) and wait for it. */
  private want(label: string, before: string): Promise<number | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    const socket = this.connect();
    return new Promise((resolve) => {
      this.waiting = (turn) => resolve((this.turn = turn));
      socket.write(`${before}want ${encodeURIComponent(label)}\n`);
    });
  }

  agree(label: string, value: number): Promise<number> {
    if (this.failed) return Promise.reject(this.failed);
    const socket = this.connect();
    return new Promise((resolve) => {
      this.agreeing = resolve;
      socket.write(`agree ${encodeURIComponent(label)} ${Math.round(value)}\n`);
    });
  }

  async measure<T>(label: string, body: () => Promise<T>): Promise<T> {
    const turn = this.turn;
    const start = epochMs();
    try {
      return await body();
    } finally {
      this.windows.push({ label, ...(turn === undefined ? {} : { turn }), start, end: epochMs() });
    }
  }

  release(): void {
    this.turn = undefined;
    this.socket?.end('done\n');
    this.socket = undefined;
  }
}

/** A suite file's scheduler: over the coordinator's socket under `schemabench compare`, alone otherwise. */
export function roundScheduler(turns: RunDescriptor['turns']): RoundScheduler {
  return turns ? new SocketScheduler(turns.socket, turns.side) : alone;
}
