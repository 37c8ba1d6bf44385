import { useEffect, useState } from 'react';
import { QualityMonitor, type PeerQuality, type Room } from '@parley/client';

/**
 * The latest quality sample per participant, refreshed every 2 s while `room` is set.
 * One monitor per room; it stops when the room changes or the call view unmounts.
 */
export function useQuality(room: Room | null): ReadonlyMap<string, PeerQuality> {
  const [samples, setSamples] = useState<ReadonlyMap<string, PeerQuality>>(new Map());
  useEffect(() => {
    if (!room) {
      return;
    }
    const monitor = new QualityMonitor(room);
    const off = monitor.on('report', (report) => {
      setSamples(new Map(report.map((s) => [s.peerId, s])));
    });
    monitor.start();
    return () => {
      off();
      monitor.stop();
      setSamples(new Map());
    };
  }, [room]);
  return samples;
}
