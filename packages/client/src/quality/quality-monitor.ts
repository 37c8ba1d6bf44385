import { Emitter } from '@parley/common';
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

/** What the monitor reads from: who is there, and stats per participant (a Room is one). */
export interface QualitySource {
  readonly participants: readonly Participant[];
  getStats(participantId: string): Promise<RTCStatsReport | null>;
}

export interface QualityMonitorOptions {
  /** How often to read getStats(), ms. Default 2000. */
  intervalMs?: number;
}

/**
 * Reads getStats() for every participant every 2 s and emits one PeerQuality each: RTT, loss both ways, jitter, bitrate in and out, resolution and frame
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
      const people = this.source.participants;
      const live = new Set(people.map((p) => p.id));
      for (const id of [...this.counters.keys()]) {
        if (!live.has(id)) {
          this.counters.delete(id);
          this.latestById.delete(id);
        }
      }
      const samples: PeerQuality[] = [];
      for (const who of people) {
        const sample = await this.sampleOne(who);
        if (sample) {
          samples.push(sample);
          this.latestById.set(who.id, sample);
          this.emit('quality', sample);
        }
      }
      this.emit('report', samples);
      return samples;
    } finally {
      this.sampling = false;
    }
  }

  private async sampleOne(who: Participant): Promise<PeerQuality | null> {
    if (who.connection === 'closed') {
      return null;
    }
    let report: RTCStatsReport | null;
    try {
      report = await this.source.getStats(who.id);
    } catch {
      return null;
    }
    if (!report) {
      return null;
    }
    const previous = this.counters.get(who.id) ?? null;
    const r = readStats(report, previous);
    this.counters.set(who.id, r.counters);
    const { grade, issues } = gradeQuality({
      // Read after the await: the state may have changed while stats were gathered.
      connected: who.connection === 'connected',
      rttMs: r.rttMs,
      lossInPct: r.lossInPct,
      lossOutPct: r.lossOutPct,
      jitterMs: r.jitterMs,
      // Only a stall if their camera is on and we are past the first sample.
      videoStalled: who.media.video && r.framesDecodedDelta === 0,
      cpuLimited: r.videoOut?.qualityLimitation === 'cpu',
    });
    return {
      peerId: who.id,
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
