import { describe, expect, it } from 'vitest';
import { NO_CAP, cappedLayer, nextDownlinkCap, type DownlinkCap } from './downlink-cap';

const loss = (...pcts: Array<number | null>) => pcts.map((lossInPct) => ({ lossInPct }));

describe('downlink cap from packet loss', () => {
  it('steps one layer down at once when most streams lose packets, at most two', () => {
    let cap: DownlinkCap = NO_CAP;
    cap = nextDownlinkCap(cap, loss(5, 6, 0));
    expect(cap.drop).toBe(1);
    cap = nextDownlinkCap(cap, loss(12, 8, 4));
    expect(cap.drop).toBe(2);
    cap = nextDownlinkCap(cap, loss(12, 8, 4));
    expect(cap.drop).toBe(2);
    expect(cappedLayer(2, cap)).toBe(0);
    expect(cappedLayer(1, { drop: 2, clean: 0 })).toBe(0);
  });

  it('ignores one lossy sender when the others are clean (the median)', () => {
    expect(nextDownlinkCap(NO_CAP, loss(30, 0, 0)).drop).toBe(0);
  });

  it('steps back up only after several clean samples in a row', () => {
    let cap: DownlinkCap = { drop: 2, clean: 0 };
    cap = nextDownlinkCap(cap, loss(0, 0));
    cap = nextDownlinkCap(cap, loss(0.5, 1));
    expect(cap.drop).toBe(2);
    cap = nextDownlinkCap(cap, loss(0, 0));
    expect(cap).toEqual({ drop: 1, clean: 0 });
    // Loss between clean and fair holds the cap and restarts the count.
    cap = nextDownlinkCap(cap, loss(2, 2));
    cap = nextDownlinkCap(cap, loss(0, 0));
    cap = nextDownlinkCap(cap, loss(0, 0));
    expect(cap.drop).toBe(1);
    cap = nextDownlinkCap(cap, loss(0, 0));
    expect(cap.drop).toBe(0);
  });

  it('keeps the cap when nothing was measured', () => {
    const cap: DownlinkCap = { drop: 1, clean: 2 };
    expect(nextDownlinkCap(cap, loss(null, null))).toBe(cap);
    expect(nextDownlinkCap(cap, [])).toBe(cap);
  });
});
