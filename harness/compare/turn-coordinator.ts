/**
 * The other end of side-turns.ts: one turn, handed out in the order asked for. A side
 * that passes its turn while the other side waits goes behind it, so two sides measuring
 * the same cases alternate round by round (base, head, base, head, ...). Turns are
 * numbered; each measured round records its number, which is how compare pairs them.
 * Values the sides must share (iterations per round) are agreed here: first come wins.
 * A connection that closes gives its turn back (a side that crashed never blocks the
 * other).
 */
import net from 'node:net';
import { rmSync } from 'node:fs';

interface Waiter {
  socket: net.Socket;
}

export interface TurnCoordinator {
  /** The socket path to give both sides (SCHEMABENCH_TURNS). */
  path: string;
  /** Turns handed out so far. */
  turns(): number;
  close(): Promise<void>;
}

export async function startTurnCoordinator(path: string): Promise<TurnCoordinator> {
  let holder: net.Socket | undefined;
  const queue: Waiter[] = [];
  let turn = 0;
  const agreed = new Map<string, number>();

  const grantNext = () => {
    if (holder) return;
    const next = queue.shift();
    if (!next) return;
    holder = next.socket;
    next.socket.write(`go ${++turn}\n`);
  };
  const giveBack = (socket: net.Socket) => {
    if (holder === socket) holder = undefined;
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.socket === socket) queue.splice(i, 1);
    grantNext();
  };

  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const agree = /^agree (\S+) (\d+)$/.exec(line);
        if (agree) {
          if (!agreed.has(agree[1]!)) agreed.set(agree[1]!, Number(agree[2]));
          socket.write(`agreed ${agreed.get(agree[1]!)}\n`);
        } else if (line.startsWith('want')) {
          queue.push({ socket });
          grantNext();
        } else if (line === 'done' && holder === socket) {
          holder = undefined;
          grantNext();
        }
      }
    });
    socket.on('close', () => {
      sockets.delete(socket);
      giveBack(socket);
    });
    socket.on('error', () => giveBack(socket));
  });
  rmSync(path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    turns: () => turn,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        rmSync(path, { force: true });
      }),
  };
}
