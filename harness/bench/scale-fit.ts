/**
 * Growth exponent of a cost with scale: the slope of log(cost) against log(scale), by
 * least squares. ~0: constant (an index probe); ~1: linear (a full scan); between:
 * sublinear. Needs at least two distinct scales.
 */
export function growthExponent(points: { scale: number; value: number }[]): number {
  const xs = points.map((p) => Math.log(p.scale));
  const ys = points.map((p) => Math.log(Math.max(p.value, 1e-9)));
  if (new Set(xs).size < 2) throw new RangeError('growthExponent needs at least two distinct scales');
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}
