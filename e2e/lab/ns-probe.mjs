#!/usr/bin/env node
/**
 * Run inside a lab namespace (`ip netns exec plab-x node ns-probe.mjs …`) to ask whether
 * something answers from there: the lab's services live in namespaces the test process
 * cannot reach directly. Exits 0 when it answered, 1 when not (within `timeout` ms).
 *
 *   ns-probe.mjs http <url> [timeout]          an HTTP GET returns 2xx
 *   ns-probe.mjs stun <host> <port> [timeout]  a STUN Binding request gets a success response
 *   ns-probe.mjs stun-tls <host> <port> [timeout]
 *                                              the same over TLS (TURNS); the lab's certificate
 *                                              is self-signed, so it is not verified here
 *   ns-probe.mjs reflect <host> <port>...      serve: answer every UDP datagram with the
 *                                              sender's address as seen here ("ip:port")
 *   ns-probe.mjs mapping <host> <port>...      from ONE socket, ask each reflector how it
 *                                              sees us; prints a JSON array (null: no answer)
 *   ns-probe.mjs punch <local-port> <host> <port> <wait-ms>
 *                                              after wait-ms, send 20 datagrams 100 ms apart
 *                                              from local-port; print how many came in
 *
 * `reflect`, `mapping` and `punch` show what a NAT does to a flow (e2e/lab.spec.ts checks the
 * lab's NATs with them before any browser is involved).
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect as tlsConnect } from 'node:tls';

const [kind, ...args] = process.argv.slice(2);

/** A STUN Binding request without attributes, and how to recognise its success response. */
function bindingRequest() {
  const txid = randomBytes(12);
  const req = Buffer.alloc(20);
  req.writeUInt16BE(0x0001, 0); // Binding request, no attributes
  req.writeUInt32BE(0x2112a442, 4); // magic cookie
  txid.copy(req, 8);
  const answers = (msg) =>
    msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(txid);
  return { req, answers };
}

function stunTls(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const { req, answers } = bindingRequest();
    const sock = tlsConnect({ host, port, rejectUnauthorized: false }, () => sock.write(req));
    const done = (ok) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    let got = Buffer.alloc(0);
    sock.on('data', (chunk) => {
      got = Buffer.concat([got, chunk]);
      if (answers(got)) {
        done(true);
      }
    });
    sock.on('error', () => done(false));
  });
}

function stun(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const { req, answers } = bindingRequest();
    const timer = setTimeout(() => resolve(false), timeoutMs);
    sock.on('message', (msg) => {
      if (answers(msg)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    sock.on('error', () => resolve(false));
    sock.send(req, port, host);
  });
}

async function http(url, timeoutMs) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

function reflect(host, ports) {
  for (const port of ports) {
    const sock = createSocket('udp4');
    sock.on('message', (_msg, from) =>
      sock.send(`${from.address}:${from.port}`, from.port, from.address),
    );
    sock.bind(Number(port), host);
  }
}

function mapping(host, ports) {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const seen = ports.map(() => null);
    sock.on('message', (msg, from) => {
      seen[ports.indexOf(String(from.port))] = msg.toString();
    });
    sock.bind(0, () => {
      // Three tries each, one after the other: the port must be the same socket's.
      let round = 0;
      const send = () => {
        ports.forEach((port, i) => seen[i] === null && sock.send('?', Number(port), host));
        if (++round < 3) {
          setTimeout(send, 150);
        } else {
          setTimeout(() => resolve(seen), 300);
        }
      };
      send();
    });
  });
}

function punch(localPort, host, port, waitMs) {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    let received = 0;
    sock.on('message', () => received++);
    sock.on('error', () => {}); // an ICMP error on a send: keep trying, like ICE does
    sock.bind(Number(localPort), () => {
      setTimeout(() => {
        let sent = 0;
        const timer = setInterval(() => {
          sock.send('punch', Number(port), host);
          if (++sent === 20) {
            clearInterval(timer);
            setTimeout(() => resolve(received), 200);
          }
        }, 100);
      }, Number(waitMs));
    });
  });
}

if (kind === 'punch') {
  process.stdout.write(`${await punch(...args)}\n`);
  process.exit(0);
}
if (kind === 'reflect') {
  reflect(args[0], args.slice(1));
  await new Promise(() => {});
}
if (kind === 'mapping') {
  process.stdout.write(JSON.stringify(await mapping(args[0], args.slice(1))) + '\n');
  process.exit(0);
}

const ok =
  kind === 'http'
    ? await http(args[0], Number(args[1] ?? 1000))
    : kind === 'stun'
      ? await stun(args[0], Number(args[1]), Number(args[2] ?? 500))
      : kind === 'stun-tls'
        ? await stunTls(args[0], Number(args[1]), Number(args[2] ?? 1000))
        : (() => {
            throw new Error(`ns-probe: unknown probe ${kind} (http, stun or stun-tls)`);
          })();
process.exit(ok ? 0 : 1);
