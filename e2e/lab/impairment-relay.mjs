#!/usr/bin/env node
/**
 * A UDP relay that adds delay and drops packets, for the network lab: this kernel has no
 * netem, so the lab puts this in front of coturn instead. Every client address gets its
 * own upstream socket (as a NAT would), and every datagram, in both directions, is
 * dropped with probability `loss` or else sent on after `delayMs`.
 *
 *   impairment-relay.mjs <listen-host> <listen-port> <target-host> <target-port> <delay-ms> <loss 0..1>
 *
 * Runs until killed. Equal delays keep the order of packets (timers fire in order).
 */
import { createSocket } from 'node:dgram';

const [listenHost, listenPort, targetHost, targetPort, delayArg, lossArg] = process.argv.slice(2);
const delayMs = Number(delayArg);
const loss = Number(lossArg);
if (!listenHost || !(Number(listenPort) > 0) || !targetHost || !(Number(targetPort) > 0)) {
  throw new Error(
    'usage: impairment-relay.mjs <listen-host> <listen-port> <target-host> <target-port> <delay-ms> <loss>',
  );
}
if (!(delayMs >= 0) || !(loss >= 0 && loss < 1)) {
  throw new Error(
    `impairment-relay: delay must be >= 0 ms and loss in [0, 1) (got ${delayArg}, ${lossArg})`,
  );
}

/** Drop the datagram with probability `loss`, else send it after the delay. */
function impaired(send) {
  if (Math.random() < loss) {
    return;
  }
  if (delayMs > 0) {
    setTimeout(send, delayMs);
  } else {
    send();
  }
}

const front = createSocket('udp4');
/** client "address:port" → its upstream socket towards the target */
const upstreams = new Map();

front.on('message', (msg, client) => {
  const key = `${client.address}:${client.port}`;
  let up = upstreams.get(key);
  if (!up) {
    up = createSocket('udp4');
    up.bind(0, listenHost);
    up.on('message', (reply) => impaired(() => front.send(reply, client.port, client.address)));
    upstreams.set(key, up);
  }
  const socket = up;
  impaired(() => socket.send(msg, Number(targetPort), targetHost));
});
front.bind(Number(listenPort), listenHost);
