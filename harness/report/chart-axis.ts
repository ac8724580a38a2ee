/**
 * Axes for the report's charts: a linear or logarithmic scale over a domain, mapped to a
 * pixel range, with "nice" ticks (1, 2, 5 x 10^k) and their labels.
 */
export interface Axis {
  /** Pixel position of a value (clamped to the domain). */
  x(value: number): number;
  ticks: { value: number; label: string }[];
  log: boolean;
}

const tickLabel = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 1000 ? v.toLocaleString('en-US') : String(Number(v.toPrecision(3))));

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(count, 1);
  const p = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * p >= raw) ?? 10) * p;
}

/** A linear axis over [min, max] (widened to nice ticks), drawn from left to right px. */
export function linearAxis(min: number, max: number, left: number, right: number, count = 6): Axis {
  if (max <= min) max = min + 1;
  const step = niceStep(max - min, count);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push({ value: Number(v.toPrecision(12)), label: tickLabel(Number(v.toPrecision(12))) });
  const x = (v: number) => left + ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * (right - left);
  return { x, ticks, log: false };
}

/** A log10 axis over [min, max] > 0, widened to whole decades; ticks at 1, 2, 5 x 10^k when there are few decades. */
export function logAxis(min: number, max: number, left: number, right: number): Axis {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-9)));
  const hi = Math.max(Math.ceil(Math.log10(Math.max(max, 1e-9))), lo + 1);
  const multipliers = hi - lo <= 2 ? [1, 2, 5] : hi - lo <= 4 ? [1, 3] : [1];
  const ticks = [];
  for (let k = lo; k <= hi; k++) {
    for (const m of multipliers) {
      const v = m * 10 ** k;
      if (Math.log10(v) <= hi + 1e-9) ticks.push({ value: v, label: tickLabel(Number(v.toPrecision(3))) });
    }
  }
  const x = (v: number) => left + ((Math.min(Math.max(Math.log10(Math.max(v, 1e-12)), lo), hi) - lo) / (hi - lo)) * (right - left);
  return { x, ticks, log: true };
}
