/**
 * The other end of round-scheduler.ts: one turn, handed out in the order asked for. A
 * side that passes its turn while the other side waits goes behind it, so two sides
 * measuring the same cases alternate round by round (base, head, base, head, ...). Turns
 * are numbered; each measured round records its number, which is how compare pairs them.
 * Every turn is logged with its side, label and when it was granted and given back
 * (epoch ms): compare checks each side's measurements against it (turn-log.ts). Values
 * the sides must share (iterations per round) are agreed here by label: first come
 * wins. A connection that closes gives its turn back (a side that crashed never blocks
 * the other).
 *
 * Keeping in step. A comparison measured with the sequential test may need more rounds on
 * one side than on the other; the side that is done goes on to its next test while the
 * other still measures the last one, and from then on round k of a case would run turns
 * apart on the two sides, too far to pair (latency-ratio.ts). So when both sides wait, a
 * side that wants a label the other side has already had (and no longer wants) goes
 * first, as often as it asks: it catches up, and both measure the next test in step.
 * Messages that arrive together (a round's `done` and its next `want`) are read before the
 * next turn is granted, so the side passing is in the queue when the choice is made.
 */
import net from 'node:net';
import { rmSync } from 'node:fs';
import { epochMs } from '../bench/round-scheduler.ts';

/** One turn as the coordinator handed it out. */
export interface TurnRecord {
  turn: number;
  side: string;
  label: string;
  /** When `go` was written, and when the side gave the turn back (`done` or its connection closed), epoch ms. */
  granted: number;
  released: number | undefined;
}

export interface TurnCoordinator {
  /** The socket path to give both sides (their run descriptors' `turns.socket`). */
  path: string;
  /** Turns handed out so far, in order. */
  log(): readonly TurnRecord[];
  close(): Promise<void>;
}

interface Peer {
  socket: net.Socket;
  side: string;
}

export async function startTurnCoordinator(path: string): Promise<TurnCoordinator> {
  let holder: Peer | undefined;
  const queue: { peer: Peer; label: string }[] = [];
  const log: TurnRecord[] = [];
  const agreed = new Map<string, number>();

  let last: Peer | undefined;
  let streak = 0;
  /** Labels each side (by name: every suite file connects on its own) has been granted. */
  const had = new Map<string, Set<string>>();
  const grant = (i: number) => {
    const [{ peer, label }] = queue.splice(i, 1) as [{ peer: Peer; label: string }];
    streak = peer === last ? streak + 1 : 1;
    last = holder = peer;
    if (!had.has(peer.side)) had.set(peer.side, new Set());
    had.get(peer.side)!.add(label);
    log.push({ turn: log.length + 1, side: peer.side, label, granted: epochMs(), released: undefined });
    peer.socket.write(`go ${log.length}\n`);
  };
  /** A waiting side behind the other: it wants a label the other side has had and has moved on from. */
  const behind = (w: { peer: Peer; label: string }) =>
    [...had].some(([side, labels]) => side !== w.peer.side && labels.has(w.label)) && !queue.some((o) => o.peer.side !== w.peer.side && o.label === w.label);
  /**
   * Turns go A, B, B, A, A, B, B, ...: a side that passes after its first turn in a row
   * goes again, so in round pairs taken one after the other each side goes first half of
   * the time (what one side leaves behind — WAL to flush, a warmed CPU cache — does not
   * always weigh on the same side).
   */
  const grantNext = () => {
    if (holder || !queue.length) return;
    const late = queue.filter(behind);
    if (late.length === 1) return grant(queue.indexOf(late[0]!));
    const again = last && streak === 1 && log.length > 1 ? queue.findIndex((w) => w.peer === last) : -1;
    grant(again >= 0 ? again : 0);
  };
  /** The holder gives the turn back (`done`): logged, and the next waiting side goes. */
  const release = (peer: Peer) => {
    if (holder !== peer) return;
    holder = undefined;
    log[log.length - 1]!.released = epochMs();
  };
  /** A side that is gone: its turn and its place in the queue are given up. */
  const leave = (peer: Peer) => {
    release(peer);
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.peer === peer) queue.splice(i, 1);
    grantNext();
  };

  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    const peer: Peer = { socket, side: '?' };
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const [verb, arg = '', value] = line.split(' ');
        if (verb === 'side') peer.side = arg;
        else if (verb === 'agree' && value !== undefined) {
          const label = decodeURIComponent(arg);
          if (!agreed.has(label)) agreed.set(label, Number(value));
          socket.write(`agreed ${agreed.get(label)}\n`);
        } else if (verb === 'want') {
          queue.push({ peer, label: decodeURIComponent(arg) });
        } else if (verb === 'done') {
          release(peer);
        }
      }
      grantNext();
    });
    socket.on('close', () => {
      sockets.delete(socket);
      leave(peer);
    });
    socket.on('error', () => leave(peer));
  });
  rmSync(path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    log: () => log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        rmSync(path, { force: true });
      }),
  };
}
