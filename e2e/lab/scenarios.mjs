/**
 * The lab's scenarios, shared by e2e/lab.spec.ts (the fast ones, in `npm test`) and
 * bench/suites/connectivity.mjs (all of them, with repetitions, into docs/CONNECTIVITY.md).
 *
 * A scenario is: how each of the two peers is attached (PeerSpec in topology.mjs), which
 * ICE servers the Parley server hands out (services.mjs), whether one peer's link is cut
 * mid-call, and which candidate pairs count as the expected path.
 */

import { PUBLIC_IP } from './topology.mjs';

/**
 * @typedef {object} Scenario
 * @property {string} id
 * @property {string} title
 * @property {import('./topology.mjs').PeerSpec[]} peers   peer a, peer b
 * @property {Parameters<typeof import('./services.mjs').startServices>[0]} services
 * @property {boolean} fast   run in `npm test` (e2e/lab.spec.ts) as well as in the bench
 * @property {number} [cutMs] cut peer a's link for this long once video flows both ways
 * @property {string[]} [browserArgs]  more Chromium flags for both peers
 * @property {string} expected  the path we expect, in words (docs/CONNECTIVITY.md)
 * @property {(pairs: Array<SelectedPair | null>) => boolean} pathOk
 *   the selected pairs (as peer a, then peer b see them) are the expected path
 */

/**
 * @typedef {object} SelectedPair  the selected candidate pair as one browser sees it
 * @property {string} local    its own candidate type
 * @property {string} remote   the other end's candidate type
 * @property {string} remoteAddress
 * @property {string} protocol its transport to the first hop (to coturn, for a relay)
 * @property {number | null} rttMs
 */

/**
 * Media goes through coturn: this browser's own relay candidate, or the other side's
 * (coturn is the only thing at PUBLIC_IP, whatever type the remote candidate got).
 * @param {SelectedPair | null} p
 */
const isRelay = (p) =>
  p !== null && (p.local === 'relay' || p.remote === 'relay' || p.remoteAddress === PUBLIC_IP);

/**
 * Delay and loss, made in user space (no netem here): a relay in front of coturn, every
 * call relayed through it (services.mjs explains the arithmetic).
 * @returns {Scenario}
 */
function impaired(id, what, impairment) {
  return {
    id,
    title: `${what} between the peers (user-space relay in front of coturn)`,
    peers: [{ nat: 'nat' }, { nat: 'nat' }],
    services: { impairment },
    fast: false,
    expected: 'relay ↔ relay over UDP (relay-only, through the impairment relay)',
    pathOk: (pairs) => pairs.every((p) => p?.local === 'relay' && p.protocol === 'udp'),
  };
}

/** @type {Scenario[]} */
export const SCENARIOS = [
  {
    id: 'direct',
    title: 'Two peers on one network (direct)',
    peers: [{ nat: 'none' }, { nat: 'none' }],
    services: {},
    fast: true,
    expected: 'host ↔ host over UDP',
    pathOk: (pairs) =>
      pairs.every((p) => p?.local === 'host' && p.remote === 'host' && p.protocol === 'udp'),
  },
  {
    id: 'nat-stun',
    title: 'Each peer behind its own NAT, STUN only',
    peers: [{ nat: 'nat' }, { nat: 'nat' }],
    // No TURN at all: a connection can only be the NATs' mappings found through STUN.
    services: { turnTransports: [] },
    fast: true,
    expected:
      'no relay: the remote end is the other NAT’s mapping (srflx, or prflx when its check arrived first)',
    pathOk: (pairs) =>
      pairs.every((p) => p !== null && !isRelay(p) && ['srflx', 'prflx'].includes(p.remote)),
  },
  {
    id: 'symmetric-turn',
    title: 'Symmetric NAT on both sides (only TURN works)',
    peers: [{ nat: 'symmetric' }, { nat: 'symmetric' }],
    services: { turnTransports: ['udp'] },
    fast: true,
    expected: 'through coturn: a relay candidate at one end or both, over UDP',
    pathOk: (pairs) => pairs.every(isRelay),
  },
  {
    id: 'udp-blocked',
    title: 'UDP blocked for one peer (TURN over TCP)',
    peers: [{ nat: 'nat', blockUdp: true }, { nat: 'nat' }],
    services: { turnTransports: ['udp', 'tcp'] },
    fast: true,
    expected: 'peer a relays through coturn over TCP; peer b reaches that relay',
    pathOk: ([a, b]) => a?.local === 'relay' && a.protocol === 'tcp' && isRelay(b),
  },
  {
    id: 'udp-blocked-turns',
    title: 'UDP blocked for one peer, TURNS only (TLS on 5349, self-signed certificate)',
    peers: [{ nat: 'nat', blockUdp: true }, { nat: 'nat' }],
    // Only a turns: URL: peer a's one way out is TLS to coturn; peer b reaches a's relay.
    services: { turnTransports: ['tls'] },
    // Chromium checks a TURNS certificate like any other (docs/CONNECTIVITY.md): the lab's
    // is self-signed, made at lab start.
    browserArgs: ['--ignore-certificate-errors'],
    fast: true,
    expected: 'peer a relays through coturn over TLS; peer b reaches that relay',
    pathOk: ([a, b]) => a?.local === 'relay' && a.protocol === 'tls' && isRelay(b),
  },
  {
    id: 'cut-10s',
    title: 'A 10 s cut of one peer’s link mid-call (both behind NAT)',
    peers: [{ nat: 'nat' }, { nat: 'nat' }],
    services: {},
    fast: true,
    cutMs: 10_000,
    expected: 'no relay before the cut; frames flow again after it (ICE restart)',
    pathOk: (pairs) => pairs.every((p) => p !== null && !isRelay(p)),
  },
  {
    id: 'uplink-300k',
    title: 'A 300 kbit/s uplink for one peer (tbf on its router)',
    peers: [{ nat: 'nat', uplinkKbps: 300 }, { nat: 'nat' }],
    services: {},
    fast: false,
    expected: 'no relay; video both ways at the lower rate',
    pathOk: (pairs) => pairs.every((p) => p !== null && !isRelay(p)),
  },
  ...[50, 150].map((rttMs) =>
    impaired(`rtt-${rttMs}ms`, `${rttMs} ms round trip`, { rttMs, loss: 0 }),
  ),
  ...[5, 15].map((pct) =>
    impaired(`loss-${pct}pct`, `${pct}% packet loss`, { rttMs: 0, loss: pct / 100 }),
  ),
];

/**
 * Scenarios of the issue the lab does not run, with the reason; the bench prints them
 * and docs/CONNECTIVITY.md lists them, so nobody reads their absence as a pass.
 * @type {Array<{ id: string, reason: string }>}
 */
export const MISSING_SCENARIOS = [];
