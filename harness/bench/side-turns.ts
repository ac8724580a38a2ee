/**
 * Taking turns with another run on the same server (`schemabench compare`): base and
 * head run their suites at the same time, each in its own vitest, and only one of them
 * works at a time. A suite file holds the turn from its dataset to its last test and
 * hands it over before every measured round, so base's round k of a case and head's
 * round k of the same case run back to back: whatever the machine was doing at that
 * moment weighs on both sides of the pair, and the pair's ratio cancels it.
 *
 * The coordinator (harness/compare/turn-coordinator.ts) listens on a unix socket named
 * by SCHEMABENCH_TURNS; one line per message: `want <label>` is answered by `go <turn>`
 * when the turn is this process's, `done` gives it back; `agree <label> <n>` is answered
 * by `agreed <m>`, the first value either side proposed for that label. Outside compare
 * this is a no-op.
 */
import net from 'node:net';

export const TURNS_ENV = 'SCHEMABENCH_TURNS';

export interface SideTurns {
  /** Wait for the turn; resolves with its number (undefined outside compare). */
  hold(label: string): Promise<number | undefined>;
  /** Give the turn to the other side if it waits, then wait for it again. */
  pass(label: string): Promise<number | undefined>;
  /** Give the turn back for good (end of a suite file). */
  release(): void;
  /**
   * Both sides use the same value for `label`: the first one proposed. Iterations per round
   * are agreed this way, so that a case whose state builds up with every run (rows
   * updated, dead tuples) does the same work on both sides.
   */
  agree(label: string, value: number): Promise<number>;
}

const idle: SideTurns = { hold: async () => undefined, pass: async () => undefined, release: () => undefined, agree: async (_label, value) => value };

class SocketTurns implements SideTurns {
  private socket: net.Socket | undefined;
  private buffered = '';
  private waiting: ((turn: number) => void) | undefined;
  private agreeing: ((value: number) => void) | undefined;
  private failed: Error | undefined;

  constructor(private readonly path: string) {}

  private connect(): net.Socket {
    if (this.socket) return this.socket;
    const socket = net.createConnection(this.path);
    socket.setEncoding('utf8');
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
    if (this.failed) return Promise.reject(this.failed);
    const socket = this.connect();
    return new Promise((resolve) => {
      this.waiting = resolve;
      socket.write(`want ${label.replace(/\s+/g, '_')}\n`);
    });
  }

  pass(label: string): Promise<number | undefined> {
    this.socket?.write('done\n');
    return this.hold(label);
  }

  agree(label: string, value: number): Promise<number> {
    if (this.failed) return Promise.reject(this.failed);
    const socket = this.connect();
    return new Promise((resolve) => {
      this.agreeing = resolve;
      socket.write(`agree ${label.replace(/\s+/g, '_')} ${Math.round(value)}\n`);
    });
  }

  release(): void {
    this.socket?.end('done\n');
    this.socket = undefined;
  }
}

let turns: SideTurns | undefined;

/** This process's turns: over the coordinator's socket under `schemabench compare`, a no-op otherwise. */
export function sideTurns(): SideTurns {
  const path = process.env[TURNS_ENV];
  turns ??= path ? new SocketTurns(path) : idle;
  return turns;
}
