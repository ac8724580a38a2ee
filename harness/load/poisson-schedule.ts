/**
 * Arrival times of an open-loop client: a Poisson process of `ratePerSecond`, i.e.
 * exponential gaps of mean 1/rate, drawn from the seeded PRNG (pgbench --rate does the
 * same per client thread). Times are milliseconds from the start of the run.
 */
import type { RowRandom } from '../fixtures/row-random.ts';

export class PoissonSchedule {
  private next: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly random: RowRandom,
    start = 0,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be > 0 transactions per second (got ${ratePerSecond})`);
    this.next = start + this.gap();
  }

  /** Inverse-CDF draw of an exponential gap; 1 - u is in (0, 1], so the log is finite. */
  private gap(): number {
    return (-Math.log(1 - this.random.next()) * 1000) / this.ratePerSecond;
  }

  /** The scheduled start of the next transaction, and advance. */
  take(): number {
    const t = this.next;
    this.next += this.gap();
    return t;
  }
}
