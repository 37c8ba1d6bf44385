import { afterEach, describe, expect, it } from 'vitest';
import { readStats } from '../../quality/stats-reader.js';
import { frameFedVideoTrack, meshNetwork } from '../../../test/mesh-network.js';
import { until } from '../../../test/until.js';
import type { ConnectionState, DataStream } from '../index.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  // Last made, first undone: frame sources stop before the connections they feed close
  // (wrtc can crash the process on a frame pushed into a closed connection's track).
  for (const f of cleanup.splice(0).reverse()) {
    f();
  }
});

function network(...args: Parameters<typeof meshNetwork>) {
  const net = meshNetwork(...args);
  cleanup.push(() => net.close());
  return net;
}

function video() {
  const v = frameFedVideoTrack();
  cleanup.push(v.stop);
  return v.track;
}

/** Everything a member's mesh emits about others, as `event:participant[:detail]`. */
function record(net: ReturnType<typeof meshNetwork>, id: string): string[] {
  const log: string[] = [];
  const { mesh } = net.member(id);
  mesh.on('track-added', (from, _t, kind) => log.push(`track-added:${from}:${kind}`));
  mesh.on('track-removed', (from, kind) => log.push(`track-removed:${from}:${kind}`));
  mesh.on('connection-state', (from, s) => log.push(`connection-state:${from}:${s}`));
  mesh.on('data-open', (from) => log.push(`data-open:${from}`));
  mesh.on('data', (from, data) => log.push(`data:${from}:${String(data)}`));
  mesh.on('error', (from, err) => log.push(`error:${from}:${err.message}`));
  return log;
}

const connected = (net: ReturnType<typeof meshNetwork>, a: string, b: string) => () =>
  net.member(a).mesh.connectionState(b) === 'connected' &&
  net.member(b).mesh.connectionState(a) === 'connected';

describe('MeshTopology through the seam', () => {
  it('two participants exchange a track, each reported with the sender id', async () => {
    const tracks = { ana: video(), ben: video() };
    const net = network(['ana', 'ben'], {
      tracks: (id) => ({ audio: null, video: tracks[id as 'ana' | 'ben'] }),
    });
    const anaLog = record(net, 'ana');
    const benLog = record(net, 'ben');
    net.connectAll();
    await until(connected(net, 'ana', 'ben'));
    // One audio and one video slot each way, whether or not a track is on it yet.
    expect(anaLog.filter((e) => e.startsWith('track-added')).sort()).toEqual([
      'track-added:ben:audio',
      'track-added:ben:video',
    ]);
    expect(benLog).toContain('track-added:ana:video');
    // One state enum, one event per change: connecting → connected, nothing else.
    expect(anaLog.filter((e) => e.startsWith('connection-state'))).toEqual([
      'connection-state:ben:connected',
    ]);
    expect(benLog.filter((e) => e.startsWith('error'))).toEqual([]);
    // Ben is the newcomer: one offer, from him, sets the call up.
    expect([net.member('ana').offers, net.member('ben').offers]).toEqual([0, 1]);
  });

  it('sends data to one participant or to all, and says who sent it', async () => {
    const net = network(['ana', 'ben', 'cy']);
    const logs = { ana: record(net, 'ana'), ben: record(net, 'ben'), cy: record(net, 'cy') };
    net.connectAll();
    const ana = net.member('ana').mesh;
    await until(() => ana.canSendData('ben') && ana.canSendData('cy'));
    await until(() => net.member('cy').mesh.canSendData('ben'));
    ana.sendData('to everyone');
    ana.sendData('to ben only', 'ben');
    net.member('cy').mesh.sendData(new TextEncoder().encode('bytes').buffer, 'ben');
    await until(() => logs.ben.filter((e) => e.startsWith('data:')).length === 3);
    await until(() => logs.cy.some((e) => e.startsWith('data:')));
    await new Promise((r) => setTimeout(r, 100));
    // Order holds per sender (one ordered channel each); Ana's and Cy's channels race.
    const toBen = logs.ben.filter((e) => e.startsWith('data:'));
    expect(toBen.filter((e) => e.startsWith('data:ana:'))).toEqual([
      'data:ana:to everyone',
      'data:ana:to ben only',
    ]);
    expect(toBen.filter((e) => e.startsWith('data:cy:'))).toEqual(['data:cy:[object ArrayBuffer]']);
    expect(logs.cy.filter((e) => e.startsWith('data:'))).toEqual(['data:ana:to everyone']);
    expect(logs.ana).toEqual(expect.arrayContaining(['data-open:ben', 'data-open:cy']));
    expect(ana.canSendData('nobody')).toBe(false);
  });

  // Backpressure ('drain') is in channel-stream.test.ts: wrtc keeps no bufferedAmount.
  it('opens a data stream of its own to one participant, closed when they go', async () => {
    const net = network(['ana', 'ben']);
    net.connectAll();
    const ana = net.member('ana').mesh;
    await until(() => ana.canSendData('ben'));
    let incoming: DataStream | null = null;
    net.member('ben').mesh.on('data-stream', (from, s) => {
      expect(from).toBe('ana');
      incoming = s;
    });
    const out = ana.openDataStream('ben', 'parley-file:abc');
    expect(out?.label).toBe('parley-file:abc');
    expect(ana.openDataStream('nobody', 'x')).toBeNull();
    const stream = out as DataStream;
    await until(() => stream.state === 'open' && incoming !== null);
    const received: number[] = [];
    (incoming as unknown as DataStream).on('message', (d) =>
      received.push((d as ArrayBuffer).byteLength),
    );
    const chunk = new ArrayBuffer(16 * 1024);
    for (let i = 0; i < 64; i++) {
      stream.send(chunk);
    }
    await until(() => received.length === 64);
    expect(received.every((n) => n === 16 * 1024)).toBe(true);
    const closes: string[] = [];
    stream.on('close', () => closes.push('out'));
    (incoming as unknown as DataStream).on('close', () => closes.push('in'));
    ana.removeParticipant('ben');
    expect(closes).toEqual(['out']);
    expect(stream.state).toBe('closed');
    await until(() => closes.length === 2);
  });

  it('reports stats and connection state per participant', async () => {
    const net = network(['ana', 'ben'], {
      tracks: (id) => ({ audio: null, video: id === 'ana' ? video() : null }),
    });
    net.connectAll();
    await until(connected(net, 'ana', 'ben'));
    const ben = net.member('ben').mesh;
    const ana = net.member('ana').mesh;
    // Let frames through, then read what the quality monitor reads.
    const read = async () => readStats((await ben.getStats('ana')) as RTCStatsReport, null);
    for (let i = 0; (await read()).counters.bytesIn === 0; i++) {
      expect(i, 'video arriving').toBeLessThan(100);
      await new Promise((r) => setTimeout(r, 100));
    }
    const first = await read();
    await new Promise((r) => setTimeout(r, 500));
    const later = readStats((await ben.getStats('ana')) as RTCStatsReport, first.counters);
    expect(later.path).toBe('direct');
    expect(later.localCandidateType).toBe('host');
    expect(later.counters.bytesIn).toBeGreaterThan(first.counters.bytesIn);
    expect(later.videoIn).toMatchObject({ width: 160, height: 120 });
    const sent = readStats((await ana.getStats('ben')) as RTCStatsReport, null);
    expect(sent.counters.bytesOut).toBeGreaterThan(0);
    expect(ana.connectionState('ben')).toBe('connected');
    expect(ana.connectionState('nobody')).toBeNull();
    expect(await ana.getStats('nobody')).toBeNull();
    expect(ana.audioLevel('ben')).toBeNull(); // no audio sent
  });

  it('unpublishes and replaces a track without renegotiating', async () => {
    const first = video();
    const net = network(['ana', 'ben'], {
      tracks: (id) => ({ audio: null, video: id === 'ana' ? first : null }),
    });
    const benLog = record(net, 'ben');
    net.connectAll();
    await until(connected(net, 'ana', 'ben'));
    await new Promise((r) => setTimeout(r, 300));
    const ana = net.member('ana');
    const offers = ana.offers + net.member('ben').offers;
    const sender = () =>
      ana.pcs[0]?.getTransceivers().find((t) => t.receiver.track.kind === 'video')?.sender;
    expect(sender()?.track).toBe(first);

    await ana.mesh.unpublishTrack('video');
    expect(sender()?.track).toBeNull();
    const second = video();
    await ana.mesh.publishTrack('video', second);
    expect(sender()?.track).toBe(second);

    await new Promise((r) => setTimeout(r, 300));
    expect(ana.offers + net.member('ben').offers).toBe(offers);
    // Ben keeps the receiving track he had: nothing was renegotiated.
    expect(benLog.filter((e) => e.startsWith('track-added')).sort()).toEqual([
      'track-added:ana:audio',
      'track-added:ana:video',
    ]);
  });

  it('restarts ICE to one participant on request, and comes back connected', async () => {
    const net = network(['ana', 'ben', 'cy']);
    net.connectAll();
    await until(() => connected(net, 'ana', 'ben')() && connected(net, 'ana', 'cy')());
    const offersBefore = net.member('ana').offers;
    const ana = net.member('ana').mesh;
    const states: ConnectionState[] = [];
    ana.on('connection-state', (_id, s) => states.push(s));
    ana.restartIce('ben');
    await until(() => net.member('ana').offers > offersBefore);
    await until(connected(net, 'ana', 'ben'));
    await until(() => ana.canSendData('ben'));
    expect(net.member('ana').offers).toBe(offersBefore + 1);
    expect(states.every((s) => s === 'connected' || s === 'reconnecting')).toBe(true);
  });

  it('caps the video sender with the uplink budget, and follows a change', async () => {
    // wrtc refuses setParameters: record what the mesh asks of the encoder instead
    // (e2e/bandwidth.spec.ts checks the caps themselves in Chromium).
    const caps: Array<RTCRtpEncodingParameters | undefined> = [];
    const net = network(['ana', 'ben'], {
      tracks: (id) => ({ audio: null, video: id === 'ana' ? video() : null }),
      uplinkBudget: {},
      onSetParameters: (id, p) => id === 'ana' && caps.push(p.encodings[0]),
    });
    net.connectAll();
    await until(connected(net, 'ana', 'ben'));
    // Capped as the link connected: one copy to send, so the per-copy ceiling, full size.
    await until(() => caps.length > 0, 5000, 'a cap');
    expect(caps.at(-1)).toMatchObject({ maxBitrate: 1_500_000, scaleResolutionDownBy: 1 });
    await net.member('ana').mesh.setUplinkBudget(300_000);
    expect(caps.at(-1)).toMatchObject({ maxBitrate: 225_000, scaleResolutionDownBy: 2 });
  });

  it('removing a participant reports their tracks gone and the path closed; close() twice is safe', async () => {
    const net = network(['ana', 'ben'], {
      tracks: (id) => ({ audio: null, video: id === 'ben' ? video() : null }),
    });
    const anaLog = record(net, 'ana');
    net.connectAll();
    await until(connected(net, 'ana', 'ben'));
    // A signal from someone the mesh does not know is dropped, not a new connection.
    net.member('ana').mesh.handleMessage({
      type: 'signal',
      from: 'stranger',
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' },
    });
    expect(net.member('ana').pcs).toHaveLength(1);
    anaLog.splice(0);
    net.member('ana').mesh.removeParticipant('ben');
    expect(anaLog).toEqual([
      'track-removed:ben:audio',
      'track-removed:ben:video',
      'connection-state:ben:closed',
    ]);
    expect(net.member('ana').pcs[0]?.connectionState).toBe('closed');
    expect(net.member('ana').mesh.connectionState('ben')).toBeNull();
    net.member('ana').mesh.close();
    net.member('ana').mesh.close();
  });
});
