import { THRESHOLDS, type PeerQuality, type SimulcastLayer } from '@parley/client';

/**
 * How many simulcast layers below the tile's choice our download must stay, from the
 * packet loss we see. Through the SFU every remote video shares one downlink, so loss on
 * it is read room-wide: the median `lossInPct` over the participants we receive from
 * (one unlucky sender does not drag everyone down). At "fair" loss (3 %, grade.ts) or
 * worse we step one layer down at once; after `recoverAfter` clean samples in a row
 * (under half the fair threshold, about 6 s at the monitor's 2 s) we step one back up.
 * Quick down, slow up, as congestion control does, so that a layer is not tried again
 * the moment it stops hurting.
 */
export interface DownlinkCap {
  /** Layers to subtract from every tile's layer: 0, 1 or 2. */
  readonly drop: 0 | 1 | 2;
  /** Clean samples seen in a row since the last change. */
  readonly clean: number;
}

export const NO_CAP: DownlinkCap = { drop: 0, clean: 0 };

export function nextDownlinkCap(
  cap: DownlinkCap,
  samples: Iterable<Pick<PeerQuality, 'lossInPct'>>,
  recoverAfter = 3,
): DownlinkCap {
  const losses = [...samples]
    .map((s) => s.lossInPct)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
  if (losses.length === 0) {
    return cap;
  }
  const median = losses[Math.floor((losses.length - 1) / 2)] as number;
  if (median >= THRESHOLDS.lossPct.fair) {
    return { drop: Math.min(2, cap.drop + 1) as DownlinkCap['drop'], clean: 0 };
  }
  if (median < THRESHOLDS.lossPct.fair / 2) {
    const clean = cap.clean + 1;
    if (cap.drop > 0 && clean >= recoverAfter) {
      return { drop: (cap.drop - 1) as DownlinkCap['drop'], clean: 0 };
    }
    return { drop: cap.drop, clean };
  }
  // In between: hold where we are.
  return { drop: cap.drop, clean: 0 };
}

/** The tile's layer, lowered by the cap (never below the smallest). */
export function cappedLayer(layer: SimulcastLayer, cap: DownlinkCap): SimulcastLayer {
  return Math.max(0, layer - cap.drop) as SimulcastLayer;
}
