/**
 * What a peer's flow looks like from the public network: a UDP reflector in the public
 * namespace tells each sender the address it saw. One socket asking two reflector ports
 * shows the NAT's mapping behaviour (same port for both: STUN works; two ports: a
 * symmetric NAT), and no answer shows a firewall or a cut. Uses ns-probe.mjs.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inNamespace, PUBLIC_IP, PUBLIC_NS } from './topology.mjs';

const PROBE = fileURLToPath(new URL('./ns-probe.mjs', import.meta.url));
const PORTS = ['7001', '7002'];

/**
 * Start the reflector; resolves once it answers, with a function that stops it.
 * @returns {Promise<() => void>}
 */
export async function startReflector() {
  const child = spawn(
    'ip',
    ['netns', 'exec', PUBLIC_NS, process.execPath, PROBE, 'reflect', PUBLIC_IP, ...PORTS],
    { stdio: 'ignore' },
  );
  const stop = () => child.kill();
  const deadline = Date.now() + 10_000;
  while (mappingFrom(PUBLIC_NS).includes(null)) {
    if (Date.now() > deadline) {
      stop();
      throw new Error('lab: the UDP reflector did not answer');
    }
  }
  return stop;
}

/**
 * From one UDP socket in namespace `ns`: how each reflector port saw it ("ip:port", or
 * null when nothing came back).
 * @returns {Array<string | null>}
 */
export function mappingFrom(ns) {
  return JSON.parse(inNamespace(ns, process.execPath, [PROBE, 'mapping', PUBLIC_IP, ...PORTS]));
}

/** Run ns-probe.mjs in `ns` without blocking (two must run at once). */
function probeAsync(ns, args) {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, PROBE, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', () => resolve(out.trim()));
  });
}

/**
 * UDP hole punching between two peers behind their routers, the way ICE does it, with
 * peer b's first datagrams arriving at a's router before a has sent anything (the case
 * a NAT gets wrong if it keeps state for unsolicited packets). Returns how many
 * datagrams each side received.
 * @param {import('./topology.mjs').Lab} lab
 * @param {[string, string]} wanAddresses  the routers' public addresses, a then b
 */
export async function holePunch(lab, wanAddresses) {
  const [a, b] = lab.peers;
  const [got, gotB] = await Promise.all([
    probeAsync(a.hostNs, ['punch', '5000', wanAddresses[1], '6000', '800']),
    probeAsync(b.hostNs, ['punch', '6000', wanAddresses[0], '5000', '0']),
  ]);
  return [Number(got), Number(gotB)];
}
