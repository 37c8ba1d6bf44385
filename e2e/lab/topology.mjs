/**
 * The network lab's hosts: Linux network namespaces joined by veth pairs, built from
 * scratch for one scenario and removed afterwards. Needs root (`ip netns`) and nftables.
 *
 *   plab-pub   "the internet": a bridge (100.64.0.1/24) where the Parley server and
 *              coturn listen; every router's WAN port and every public host plugs in.
 *              Its default route leads nowhere (anything else is silently lost).
 *   plab-rX    a peer's home router: WAN 100.64.0.1X on the bridge, LAN 10.77.X.1/24,
 *              nftables masquerade (plain, or random,fully-random for a symmetric NAT),
 *              optional drop of forwarded UDP, and a switch that drops everything (cut).
 *   plab-hX    the peer's computer, where its Chromium runs: 10.77.X.2 behind its router,
 *              or 100.64.0.2X right on the bridge when it has no router.
 *
 * Every name starts with `plab-`, so a run that crashed is cleaned up by the next one.
 * Only these namespaces carry lab traffic; the root namespace is never configured.
 */
import { execFileSync } from 'node:child_process';

/** Prefix of every namespace the lab creates (and removes at start, left from a crash). */
export const LAB_PREFIX = process.env.PARLEY_LAB_PREFIX ?? 'plab-';
/** The public namespace: the bridge, the server and coturn. */
export const PUBLIC_NS = `${LAB_PREFIX}pub`;
/** Address of the server and coturn on the lab's public network. */
export const PUBLIC_IP = '100.64.0.1';

/** Run `ip` with these arguments; throws with ip's own message. */
export function ip(...args) {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run a command inside namespace `ns`, optionally feeding it `input` on stdin. */
export function inNamespace(ns, command, args, input) {
  return execFileSync('ip', ['netns', 'exec', ns, command, ...args], {
    encoding: 'utf8',
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
}

/** Load an nftables ruleset (text) into namespace `ns`. */
export function nft(ns, ruleset) {
  inNamespace(ns, 'nft', ['-f', '-'], ruleset);
}

/** Namespaces that exist now, by name. */
export function namespaces() {
  return ip('netns', 'list')
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter(Boolean);
}

/** Remove every lab namespace (ours from this run, or leftovers of one that crashed). */
export function removeLabNamespaces() {
  for (const ns of namespaces()) {
    if (ns.startsWith(LAB_PREFIX)) {
      // Deleting a namespace deletes its veth ends, and so their peers in other lab namespaces.
      ip('netns', 'delete', ns);
    }
  }
}

function addNamespace(ns) {
  ip('netns', 'add', ns);
  ip('-n', ns, 'link', 'set', 'lo', 'up');
}

/** A veth pair from `a` (named `aName`) to `b` (named `bName`), both ends up. */
function veth(a, aName, b, bName) {
  ip('-n', a, 'link', 'add', aName, 'type', 'veth', 'peer', 'name', bName, 'netns', b);
  ip('-n', a, 'link', 'set', aName, 'up');
  ip('-n', b, 'link', 'set', bName, 'up');
}

/**
 * @typedef {object} PeerSpec
 * @property {'none' | 'nat' | 'symmetric'} nat  no router (a host on the public
 *   network), a NAT that keeps one mapping per inside address and port (STUN works), or a
 *   symmetric NAT that picks a new random port for every destination (only TURN works).
 * @property {boolean} [blockUdp]  the router drops every forwarded UDP packet (a firewall
 *   that allows only TCP: TURN over TCP is what is left). Needs a router.
 * @property {number} [uplinkKbps]  shape the router's WAN egress with a tbf qdisc.
 */

/**
 * @typedef {object} LabPeer
 * @property {string} name         'a' or 'b'
 * @property {string} hostNs       namespace of the peer's computer (its Chromium runs there)
 * @property {string | null} routerNs  its router's namespace, or null without one
 * @property {string} address      the computer's own address
 */

/**
 * @typedef {object} Lab
 * @property {LabPeer[]} peers
 * @property {(peer: LabPeer) => void} cut      drop everything to and from the peer
 * @property {(peer: LabPeer) => void} restore  undo `cut`
 * @property {() => void} dispose   remove every namespace (safe to call twice)
 */

/**
 * Build the lab for two peers (leftovers of an earlier run are removed first). On any
 * error while building, what was built is removed before the error is thrown.
 * @param {PeerSpec[]} specs
 * @returns {Lab}
 */
export function buildLab(specs) {
  removeLabNamespaces();
  try {
    addNamespace(PUBLIC_NS);
    ip('-n', PUBLIC_NS, 'link', 'add', 'inet', 'type', 'bridge');
    ip('-n', PUBLIC_NS, 'addr', 'add', `${PUBLIC_IP}/24`, 'dev', 'inet');
    ip('-n', PUBLIC_NS, 'link', 'set', 'inet', 'up');
    // "The rest of the internet": a default route into a device that drops what it is
    // given. Without it, coturn's relay sending to a peer's private host candidate
    // (10.77.x.2, which ICE pairs and coturn permits) got ENETUNREACH from sendto, and
    // coturn closed that whole allocation ("closed (2nd stage) ... reason: general") in
    // the middle of the call: the relay stall of 27 Nov. On the real internet such a
    // packet leaves and is lost somewhere, silently; so here.
    // (No dummy driver in this kernel: a veth pair whose far end takes nothing, and a
    // fixed neighbour entry so no ARP fails and reports an error back to the sender.)
    veth(PUBLIC_NS, 'beyond', PUBLIC_NS, 'beyond-sink');
    ip('-n', PUBLIC_NS, 'addr', 'add', '100.64.1.1/30', 'dev', 'beyond');
    ip(
      '-n',
      PUBLIC_NS,
      'neigh',
      'add',
      '100.64.1.2',
      'lladdr',
      '02:00:00:00:00:02',
      'dev',
      'beyond',
      'nud',
      'permanent',
    );
    ip('-n', PUBLIC_NS, 'route', 'add', 'default', 'via', '100.64.1.2', 'dev', 'beyond');
    const peers = specs.map((spec, i) => addPeer(spec, i));
    return {
      peers,
      cut: (peer) => setCut(peer, true),
      restore: (peer) => setCut(peer, false),
      dispose: removeLabNamespaces,
    };
  } catch (err) {
    removeLabNamespaces();
    throw err;
  }
}

/** @returns {LabPeer} */
function addPeer(spec, index) {
  const name = String.fromCharCode(97 + index); // a, b
  const n = index + 1;
  const hostNs = `${LAB_PREFIX}h${name}`;
  addNamespace(hostNs);
  if (spec.nat === 'none') {
    if (spec.blockUdp || spec.uplinkKbps) {
      throw new Error('lab: blockUdp and uplinkKbps need a router (nat: nat or symmetric)');
    }
    const address = `100.64.0.${20 + n}`;
    veth(PUBLIC_NS, `port-h${name}`, hostNs, 'eth0');
    ip('-n', PUBLIC_NS, 'link', 'set', `port-h${name}`, 'master', 'inet');
    ip('-n', hostNs, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
    return { name, hostNs, routerNs: null, address };
  }
  const routerNs = `${LAB_PREFIX}r${name}`;
  const address = `10.77.${n}.2`;
  addNamespace(routerNs);
  veth(PUBLIC_NS, `port-r${name}`, routerNs, 'wan0');
  ip('-n', PUBLIC_NS, 'link', 'set', `port-r${name}`, 'master', 'inet');
  ip('-n', routerNs, 'addr', 'add', `100.64.0.${10 + n}/24`, 'dev', 'wan0');
  veth(routerNs, 'lan0', hostNs, 'eth0');
  ip('-n', routerNs, 'addr', 'add', `10.77.${n}.1/24`, 'dev', 'lan0');
  ip('-n', hostNs, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
  ip('-n', hostNs, 'route', 'add', 'default', 'via', `10.77.${n}.1`);
  inNamespace(routerNs, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  // Without "random,fully-random" Linux keeps the inside port when it is free and reuses
  // the mapping for every destination (endpoint-independent mapping): what STUN needs.
  // With it, every new destination gets a new random port: a symmetric NAT.
  const masquerade = spec.nat === 'symmetric' ? 'masquerade random,fully-random' : 'masquerade';
  nft(
    routerNs,
    `table ip lab {
  chain postrouting { type nat hook postrouting priority srcnat; oifname "wan0" ${masquerade}; }
  # Unsolicited packets to the router itself are dropped here, before conntrack confirms
  # an entry for them. Otherwise a peer's first ICE check, arriving before our own went
  # out, leaves an entry that takes our port, the NAT maps our flow to another one, and
  # hole punching fails (Linux's own router behaviour without an input firewall).
  chain input { type filter hook input priority filter; iifname "wan0" ct state new drop; }
  chain forward {
    type filter hook forward priority filter; policy accept;
    # Outside may only answer: nothing unsolicited gets in (what a home router does).
    iifname "wan0" ct state new counter drop
    ${spec.blockUdp ? 'meta l4proto udp counter drop' : ''}
  }
}
table ip cut {
  set on { type ifname; }
  chain forward { type filter hook forward priority -10; iifname @on drop; oifname @on drop; }
}
`,
  );
  if (spec.uplinkKbps) {
    // tbf is in this kernel (netem is not): a token bucket on the WAN's way out.
    inNamespace(routerNs, 'tc', [
      'qdisc',
      'add',
      'dev',
      'wan0',
      'root',
      'tbf',
      'rate',
      `${spec.uplinkKbps}kbit`,
      'burst',
      '8kb',
      'latency',
      '200ms',
    ]);
  }
  return { name, hostNs, routerNs, address };
}

function setCut(peer, on) {
  if (peer.routerNs) {
    // The router drops everything it would forward on the peer's LAN port: like a cable
    // pulled beyond the router, the peer's own interface stays up and notices nothing.
    nft(peer.routerNs, `${on ? 'add' : 'delete'} element ip cut on { "lan0" }`);
    return;
  }
  // No router: the same in the public bridge's forward path is not available (bridged
  // traffic is not routed), so the peer's own port on the bridge is taken down.
  ip('-n', PUBLIC_NS, 'link', 'set', `port-h${peer.name}`, on ? 'down' : 'up');
}
