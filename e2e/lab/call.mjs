/**
 * One call across the lab: a Chromium in each peer's namespace opens the same room on
 * the lab's server, and we measure what a user would notice — whether video shows both
 * ways, how long it took, which path ICE picked, and (optionally) how long the picture
 * stays frozen after one peer's link is cut and comes back.
 */
import { launchChromiumIn } from './services.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Init script: keep every RTCPeerConnection in window.__pcs (as e2e/fixtures/browser-scripts.ts). */
function collectPeerConnections() {
  const Native = window.RTCPeerConnection;
  const pcs = [];
  window.__pcs = pcs;
  window.RTCPeerConnection = class extends Native {
    constructor(config) {
      super(config);
      pcs.push(this);
    }
  };
}

/** Sum of framesDecoded over the page's inbound video streams on open connections. */
export function framesDecoded(page) {
  return page.evaluate(async () => {
    let total = 0;
    for (const pc of window.__pcs ?? []) {
      if (pc.connectionState === 'closed') {
        continue;
      }
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          total += s.framesDecoded ?? 0;
        }
      });
    }
    return total;
  });
}

/**
 * The selected candidate pair of the page's connected peer connection: candidate types
 * at both ends, and the transport from this browser to its first hop (for a relay
 * candidate, how it reaches the TURN server: udp or tcp).
 * @returns {Promise<import('./scenarios.mjs').SelectedPair | null>}
 */
export function selectedPair(page) {
  return page.evaluate(async () => {
    for (const pc of window.__pcs ?? []) {
      if (pc.connectionState !== 'connected') {
        continue;
      }
      const byId = new Map();
      (await pc.getStats()).forEach((s) => byId.set(s.id, s));
      const transport = [...byId.values()].find(
        (s) => s.type === 'transport' && s.selectedCandidatePairId,
      );
      const pair = transport && byId.get(transport.selectedCandidatePairId);
      const local = pair && byId.get(pair.localCandidateId);
      const remote = pair && byId.get(pair.remoteCandidateId);
      if (local && remote) {
        return {
          local: local.candidateType,
          remote: remote.candidateType,
          // A check from the other side's relay can arrive before its candidate does:
          // then the remote end is "prflx", and only the address says it is coturn.
          remoteAddress: remote.address ?? remote.ip ?? '',
          protocol: local.candidateType === 'relay' ? (local.relayProtocol ?? '?') : local.protocol,
          // The ICE consent checks' round trip on this pair (the delay scenarios' proof).
          rttMs:
            typeof pair.currentRoundTripTime === 'number'
              ? Math.round(pair.currentRoundTripTime * 1000)
              : null,
        };
      }
    }
    return null;
  });
}

/** Poll until `check()` is true; the time it became true (Date.now()), or null on timeout. */
async function until(check, timeoutMs, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) {
      return Date.now();
    }
    if (Date.now() > deadline) {
      return null;
    }
    await sleep(intervalMs);
  }
}

/**
 * Frames each page must decode beyond its count at first video to count as video that
 * keeps flowing: about two seconds of the fake camera, far more than the handful a path
 * that stalls right after connecting lets through (the relay stall of 27 Nov).
 */
export const SUSTAINED_FRAMES = 50;

/**
 * @typedef {object} CallResult
 * @property {boolean} connected       video decoded both ways within the time allowed
 * @property {boolean} flowing  after first video both ways, each page decoded
 *   SUSTAINED_FRAMES more within the time allowed (false when not connected)
 * @property {number | null} videoBothWaysMs  from the second peer opening the link to
 *   both pages decoding video
 * @property {Array<{ local: string, remote: string, protocol: string } | null>} pairs
 *   the selected pair as each peer sees it (peer a first)
 * @property {number | null} [recoveryMs]  after a cut: from the link coming back to
 *   frames being decoded again on both pages (null: not within the time allowed)
 * @property {string} [error]
 */

/**
 * @param {{ lab: import('./topology.mjs').Lab, url: string, room: string,
 *   connectTimeoutMs?: number, flowTimeoutMs?: number, cutMs?: number,
 *   recoveryTimeoutMs?: number, keepOpen?: boolean, browserArgs?: string[] }} options
 *   keepOpen: leave the browsers running and return them in `pages`/`close` (the spec
 *   asserts on them itself).
 * @returns {Promise<CallResult & { pages: import('@playwright/test').Page[], close: () => Promise<void> }>}
 */
export async function runCall(options) {
  const { lab, url, room } = options;
  const browsers = [];
  const close = async () => {
    await Promise.all(browsers.splice(0).map((b) => b.close().catch(() => {})));
  };
  try {
    const pages = [];
    for (const peer of lab.peers) {
      const browser = await launchChromiumIn(peer.hostNs, url, options.browserArgs);
      browsers.push(browser);
      const context = await browser.newContext({
        permissions: ['camera', 'microphone'],
        viewport: { width: 640, height: 480 },
      });
      await context.addInitScript(collectPeerConnections);
      pages.push(await context.newPage());
    }
    const link = (name) => `${url}/r/${encodeURIComponent(room)}?name=${name}&audio=0&video=1`;
    await pages[0].goto(link('Ana'));
    const started = Date.now();
    await pages[1].goto(link('Bo'));
    const decodedAt = await until(
      async () => (await Promise.all(pages.map(framesDecoded))).every((n) => n > 0),
      options.connectTimeoutMs ?? 30_000,
    );
    let flowing = false;
    if (decodedAt !== null) {
      const first = await Promise.all(pages.map(framesDecoded));
      flowing =
        (await until(
          async () =>
            (await Promise.all(pages.map(framesDecoded))).every(
              (n, i) => n >= first[i] + SUSTAINED_FRAMES,
            ),
          options.flowTimeoutMs ?? 20_000,
          250,
        )) !== null;
    }
    const pairs = await Promise.all(pages.map(selectedPair));
    /** @type {CallResult} */
    const result = {
      connected: decodedAt !== null,
      flowing,
      videoBothWaysMs: decodedAt === null ? null : decodedAt - started,
      pairs,
    };
    if (result.flowing && options.cutMs) {
      const peer = lab.peers[0];
      lab.cut(peer);
      await sleep(options.cutMs);
      const before = await Promise.all(pages.map(framesDecoded));
      lab.restore(peer);
      const restoredAt = Date.now();
      const backAt = await until(
        async () => (await Promise.all(pages.map(framesDecoded))).every((n, i) => n > before[i]),
        options.recoveryTimeoutMs ?? 40_000,
      );
      result.recoveryMs = backAt === null ? null : backAt - restoredAt;
      result.pairsAfterCut = await Promise.all(pages.map(selectedPair));
    }
    if (!options.keepOpen) {
      await close();
    }
    return { ...result, pages, close };
  } catch (err) {
    await close();
    throw err;
  }
}
