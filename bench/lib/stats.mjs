/** Small statistics helpers shared by the suites. */

export function quantile(sorted, q) {
  if (sorted.length === 0) {
    return NaN;
  }
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function median(values) {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Median, min, max and the inter-quartile range of a sample. */
export function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    median: quantile(s, 0.5),
    p25: quantile(s, 0.25),
    p75: quantile(s, 0.75),
    min: s[0],
    max: s[s.length - 1],
  };
}

/**
 * A latency histogram with fixed 20 µs buckets up to 100 ms, plus an overflow bucket.
 * Load workers fill one each; the runner merges them (adding arrays) and reads
 * percentiles from the sum, so no raw samples cross process boundaries.
 */
export const BUCKET_MS = 0.02;
export const BUCKETS = 5000;

export function newHistogram() {
  return new Array(BUCKETS + 1).fill(0);
}

export function record(hist, ms) {
  const i = Math.min(BUCKETS, Math.max(0, Math.floor(ms / BUCKET_MS)));
  hist[i] += 1;
}

export function mergeHistograms(hists) {
  const out = newHistogram();
  for (const h of hists) {
    for (let i = 0; i < out.length; i++) {
      out[i] += h[i];
    }
  }
  return out;
}

/**
 * The q-quantile in ms (upper edge of its bucket); Infinity when it falls in the
 * overflow bucket. `extraMissing` counts messages that never arrived: they are slower
 * than anything measured.
 */
export function histQuantile(hist, q, extraMissing = 0) {
  const total = hist.reduce((a, b) => a + b, 0) + extraMissing;
  if (total === 0) {
    return NaN;
  }
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i];
    if (seen >= rank) {
      return i === BUCKETS ? Infinity : (i + 1) * BUCKET_MS;
    }
  }
  return Infinity;
}

export function round(x, digits = 2) {
  if (!Number.isFinite(x)) {
    return x;
  }
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Add counts by key (`{code: n}`) into `into`; returns it. */
export function addCounts(into, from) {
  for (const [k, v] of Object.entries(from)) {
    into[k] = (into[k] ?? 0) + v;
  }
  return into;
}
