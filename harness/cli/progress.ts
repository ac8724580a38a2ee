/**
 * Progress for long work: one line rewritten in place on a TTY, nothing per update
 * in CI or when output is piped (phase lines only), so logs stay readable.
 */
export class Progress {
  private last = 0;
  private readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(out.isTTY) && !process.env.CI;
  }

  /** A transient status line; throttled to 10 updates per second. */
  update(text: string): void {
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.out.write(`\r\x1b[2K${text}`);
  }

  /** A permanent line. */
  line(text: string): void {
    if (this.tty) this.out.write('\r\x1b[2K');
    this.out.write(`${text}\n`);
  }

  done(): void {
    if (this.tty) this.out.write('\r\x1b[2K');
  }
}
