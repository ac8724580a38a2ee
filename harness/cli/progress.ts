/**
 * Progress for long work: one line rewritten in place on a TTY, nothing per update
 * in CI or when output is piped (phase lines only), so logs stay readable.
 */
import { stopping } from '../shutdown.ts';

export class Progress {
  private last = 0;
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.tty = Boolean(out.isTTY) && !process.env.CI && !quiet;
  }

  /** A transient status line; throttled to 10 updates per second. */
  update(text: string): void {
    if (!this.tty || stopping()) return;
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.out.write(`\r\x1b[2K${text}`);
  }

  /** A bar for `done` of `total`: `[#####.....] 45%`. */
  static bar(done: number, total: number, width = 24): string {
    const filled = Math.round((width * done) / Math.max(total, 1));
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor((100 * done) / Math.max(total, 1))).padStart(3)}%`;
  }

  /** A permanent line. */
  line(text: string): void {
    // Once the CLI is stopping early, its one line is the last word.
    if (this.quiet || stopping()) return;
    if (this.tty) this.out.write('\r\x1b[2K');
    this.out.write(`${text}\n`);
  }

  done(): void {
    if (this.tty) this.out.write('\r\x1b[2K');
  }
}
