/**
 * Turns one getStats() report (the media to and from one participant) into the
 * figures a person cares about. Counters (bytes, packets, frames) only mean something
 * as a rate, so each read keeps the counters for the next one and reports the change
 * over the interval.
 */
import type { MediaPath, PathFigures, VideoFlow } from './types.js';

type Entry = { id: string; type: string; timestamp: number } & Record<string, unknown>;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Cumulative counters kept between two reads. */
export interface StatsCounters {
  at: number;
  bytesIn: number;
  bytesOut: number;
  packetsLostIn: number;
  packetsReceivedIn: number;
  framesDecoded: number;
}

export interface StatsReading extends PathFigures {
  counters: StatsCounters;
  /** Frames decoded over the interval (null on the first read). */
  framesDecodedDelta: number | null;
}

/** Read one report; `previous` is what the last read returned as `counters`. */
export function readStats(
  report: RTCStatsReport,
  previous: StatsCounters | null,
  now = Date.now(),
): StatsReading {
  const all: Entry[] = [];
  report.forEach((e: Entry) => all.push(e));
  const byId = new Map(all.map((e) => [e.id, e]));

  // The selected pair: the transport names it; older builds only flag it as nominated.
  const transport = all.find((e) => e.type === 'transport' && e.selectedCandidatePairId);
  const pair =
    (transport ? byId.get(String(transport.selectedCandidatePairId)) : undefined) ??
    all.find((e) => e.type === 'candidate-pair' && e.nominated === true && e.state === 'succeeded');
  const local = pair ? byId.get(String(pair.localCandidateId)) : undefined;
  const remote = pair ? byId.get(String(pair.remoteCandidateId)) : undefined;
  const localType = str(local?.candidateType);
  const remoteType = str(remote?.candidateType);
  const path: MediaPath =
    !localType || !remoteType
      ? 'unknown'
      : localType === 'relay' || remoteType === 'relay'
        ? 'relayed'
        : 'direct';
  const pairRtt = num(pair?.currentRoundTripTime);

  let bytesIn = 0;
  let bytesOut = 0;
  let lost = 0;
  let received = 0;
  let framesDecoded = 0;
  let audioJitter: number | null = null;
  let videoJitter: number | null = null;
  let videoIn: VideoFlow | null = null;
  let videoOut: StatsReading['videoOut'] = null;
  let remoteLossSum = 0;
  let remoteLossCount = 0;
  let remoteRtt: number | null = null;
  for (const e of all) {
    if (e.type === 'inbound-rtp') {
      bytesIn += num(e.bytesReceived) ?? 0;
      lost += Math.max(0, num(e.packetsLost) ?? 0);
      received += num(e.packetsReceived) ?? 0;
      if (e.kind === 'audio') {
        audioJitter = num(e.jitter);
      } else if (e.kind === 'video') {
        videoJitter = num(e.jitter);
        framesDecoded += num(e.framesDecoded) ?? 0;
        videoIn = {
          width: num(e.frameWidth),
          height: num(e.frameHeight),
          fps: num(e.framesPerSecond),
        };
      }
    } else if (e.type === 'outbound-rtp') {
      bytesOut += num(e.bytesSent) ?? 0;
      if (e.kind === 'video') {
        videoOut = {
          width: num(e.frameWidth),
          height: num(e.frameHeight),
          fps: num(e.framesPerSecond),
          qualityLimitation: str(e.qualityLimitationReason),
        };
      }
    } else if (e.type === 'remote-inbound-rtp') {
      const f = num(e.fractionLost);
      if (f !== null) {
        remoteLossSum += f;
        remoteLossCount++;
      }
      remoteRtt ??= num(e.roundTripTime);
    }
  }

  const counters: StatsCounters = {
    at: now,
    bytesIn,
    bytesOut,
    packetsLostIn: lost,
    packetsReceivedIn: received,
    framesDecoded,
  };
  const seconds = previous ? (now - previous.at) / 1000 : 0;
  const rate = (cur: number, prev: number | undefined): number =>
    previous && seconds > 0 ? Math.max(0, ((cur - (prev ?? 0)) * 8) / seconds) : 0;
  let lossInPct: number | null = null;
  if (previous) {
    const dLost = lost - previous.packetsLostIn;
    const dRecv = received - previous.packetsReceivedIn;
    lossInPct = dLost + dRecv > 0 ? (Math.max(0, dLost) / (dLost + dRecv)) * 100 : null;
  }
  const jitter = audioJitter ?? videoJitter;
  const rtt = pairRtt ?? remoteRtt;
  return {
    counters,
    path,
    relayProtocol: localType === 'relay' ? str(local?.relayProtocol) : null,
    localCandidateType: localType,
    remoteCandidateType: remoteType,
    rttMs: rtt === null ? null : rtt * 1000,
    lossInPct,
    lossOutPct: remoteLossCount > 0 ? (remoteLossSum / remoteLossCount) * 100 : null,
    jitterMs: jitter === null ? null : jitter * 1000,
    bitrateInBps: rate(bytesIn, previous?.bytesIn),
    bitrateOutBps: rate(bytesOut, previous?.bytesOut),
    videoIn,
    videoOut,
    framesDecodedDelta: previous ? framesDecoded - previous.framesDecoded : null,
  };
}
