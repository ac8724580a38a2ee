/**
 * A supervised child's output held back until its tests start (the marker file that
 * started-reporter.ts writes), then shown as it comes. A run whose filter
 * matches nothing ends with its output discarded and one line instead; a run that fails
 * before any test shows what it held, since that is the explanation.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

export class HeldOutput {
  private chunks: [NodeJS.WritableStream, Buffer][] = [];
  private holding = true;
  private timer: NodeJS.Timeout | undefined;
  private stopped: () => boolean = () => false;

  constructor(private readonly startedFile: string) {
    rmSync(startedFile, { force: true });
  }

  /** Read the child's stdout (to `out`) and stderr; nothing once the CLI is stopping (`stopped`). */
  attach(child: ChildProcess, stopped: () => boolean, out: NodeJS.WritableStream = process.stdout): void {
    this.stopped = stopped;
    const read = (from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream) =>
      from?.on('data', (chunk: Buffer) => {
        if (stopped()) return;
        if (this.holding && !this.started()) this.chunks.push([to, chunk]);
        else to.write(chunk);
      });
    read(child.stdout, out);
    read(child.stderr, process.stderr);
    // A test may start and print nothing for a while: what was held is shown once it has started.
    this.timer = setInterval(() => this.started(), 250);
    this.timer.unref();
  }

  private started(): boolean {
    if (this.holding && existsSync(this.startedFile)) this.flush();
    return !this.holding;
  }

  /** Show what was held (nothing once the CLI is stopping: its line is the last), and everything after it as it comes. */
  flush(): void {
    clearInterval(this.timer);
    this.holding = false;
    for (const [to, chunk] of this.chunks.splice(0)) if (!this.stopped()) to.write(chunk);
    rmSync(this.startedFile, { force: true });
  }

  /** Drop what was held (nothing ran: the CLI says so in one line). */
  discard(): void {
    clearInterval(this.timer);
    this.holding = false;
    this.chunks = [];
    rmSync(this.startedFile, { force: true });
  }
}
