import { Emitter } from '../emitter.js';
import type { PeerLink } from '../topology/mesh/peer-link.js';
import type { Participant } from '../room.js';
import { gradeQuality } from './grade.js';
import { readStats, type StatsCounters } from './stats-reader.js';
import type { PeerQuality } from './types.js';

export type QualityEvents = {
  /** A fresh sample for one participant (every interval, for every connected peer). */
  quality: [sample: PeerQuality];
  /** All samples of one round, after the per-peer events. */
  report: [samples: PeerQuality[]];
};

/** What the monitor reads from: the room's links and who is behind them. */
export interface QualitySource {
  links(): PeerLink[];
  participant(id: string): Participant | undefined;
}

export interface QualityMonitorOptions {
  /** How often to read getStats(), ms. Default 2000. */
  intervalMs?: number;
}

/**
 * Reads getStats() of every peer connection every 2 s and emits one PeerQuality per
 * participant: RTT, loss both ways, jitter, bitrate in and out, resolution and frame
 * rate, direct or relayed, and a good/fair/poor grade with its reasons.
 */
export class QualityMonitor extends Emitter<QualityEvents> {
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly counters = new Map<string, StatsCounters>();
  private readonly latestById = new Map<string, PeerQuality>();
  private sampling = false;

  constructor(
    private readonly source: QualitySource,
    private readonly options: QualityMonitorOptions = {},
  ) {
    super();
  }

  /** Start sampling (idempotent). */
  start(): void {
    if (!this.timer) {
      this.timer = setInterval(() => void this.sample(), this.options.intervalMs ?? 2000);
    }
  }

  /** The last sample for a participant. */
  latest(peerId: string): PeerQuality | undefined {
    return this.latestById.get(peerId);
  }

  /** Take one round of samples now (also what the timer does). */
  async sample(): Promise<PeerQuality[]> {
    if (this.sampling) {
      return [];
    }
    this.sampling = true;
    try {
      const links = this.source.links();
      const live = new Set(links.map((l) => l.remoteId));
      for (const id of [...this.counters.keys()]) {
        if (!live.has(id)) {
          this.counters.delete(id);
          this.latestById.delete(id);
        }
      }
      const samples: PeerQuality[] = [];
      for (const link of links) {
        const sample = await this.sampleLink(link);
        if (sample) {
          samples.push(sample);
          this.latestById.set(link.remoteId, sample);
          this.emit('quality', sample);
        }
      }
      this.emit('report', samples);
      return samples;
    } finally {
      this.sampling = false;
    }
  }

  private async sampleLink(link: PeerLink): Promise<PeerQuality | null> {
    if (link.connectionState === 'closed') {
      return null;
    }
    let report: RTCStatsReport;
    try {
      report = await link.pc.getStats();
    } catch {
      return null;
    }
    const previous = this.counters.get(link.remoteId) ?? null;
    const r = readStats(report, previous);
    this.counters.set(link.remoteId, r.counters);
    const who = this.source.participant(link.remoteId);
    const connected = link.connectionState === 'connected';
    const { grade, issues } = gradeQuality({
      connected,
      rttMs: r.rttMs,
      lossInPct: r.lossInPct,
      lossOutPct: r.lossOutPct,
      jitterMs: r.jitterMs,
      // Only a stall if their camera is on and we are past the first sample.
      videoStalled: Boolean(who?.media.video) && r.framesDecodedDelta === 0,
      cpuLimited: r.videoOut?.qualityLimitation === 'cpu',
    });
    return {
      peerId: link.remoteId,
      at: r.counters.at,
      grade,
      issues,
      path: r.path,
      relayProtocol: r.relayProtocol,
      localCandidateType: r.localCandidateType,
      remoteCandidateType: r.remoteCandidateType,
      rttMs: r.rttMs,
      lossInPct: r.lossInPct,
      lossOutPct: r.lossOutPct,
      jitterMs: r.jitterMs,
      bitrateInBps: r.bitrateInBps,
      bitrateOutBps: r.bitrateOutBps,
      videoIn: r.videoIn,
      videoOut: r.videoOut,
      framesDecoded: r.counters.framesDecoded,
    };
  }

  /** Stop sampling and forget everything. Safe to call twice. */
  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.counters.clear();
    this.latestById.clear();
  }
}
