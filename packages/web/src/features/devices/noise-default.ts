/** The machines we turn it on by default on (see `suppressionByDefault`). */
export const MIN_CORES_FOR_DEFAULT = 4;

/**
 * Whether noise suppression starts on when the user has not chosen: RNNoise costs about
 * 13% of one core per participant on the 2-core bench machine (docs/BENCHMARKS.md),
 * which a phone or a two-core laptop already busy encoding video for a mesh cannot spare. So: on with at least
 * four logical cores and AudioWorklet support, off otherwise (the toggle still works).
 */
export function suppressionByDefault(
  cores: number | undefined = typeof navigator === 'undefined'
    ? undefined
    : navigator.hardwareConcurrency,
  hasWorklet: boolean = typeof AudioWorkletNode !== 'undefined',
): boolean {
  return hasWorklet && (cores ?? 0) >= MIN_CORES_FOR_DEFAULT;
}
