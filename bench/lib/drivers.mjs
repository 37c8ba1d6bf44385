/**
 * How a bench client speaks to each server: connect and join a room, and the frame it
 * sends to relay an SDP offer or an ICE candidate to its partner. Frames are built once
 * per pair as a template around a timestamp placeholder, so the load generator costs
 * the same for every server and the server, not the generator, is what is measured.
 * Socket.IO is spoken at the Engine.IO v4 frame level (what socket.io-client puts on the
 * wire with transports: ['websocket']) for that same reason.
 */
import WebSocket from 'ws';

/** Every relayed frame carries `bench-ts-<performance.now()>-` somewhere in its payload. */
export const TS_MARKER = 'bench-ts-';
const PLACEHOLDER = '@@TS@@';

function waitFor(ws, predicate, what, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const onMessage = (data) => {
      const text = data.toString();
      const value = predicate(text);
      if (value !== undefined) {
        cleanup();
        resolve(value);
      }
    };
    const onClose = (code) => {
      cleanup();
      reject(new Error(`closed (${code}) while waiting for ${what}`));
    };
    const onError = (err) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      ws.off('error', onError);
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.on('error', onError);
  });
}

function openSocket(url) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('error', () => {});
  return ws;
}

function jsonType(text, type) {
  try {
    const msg = JSON.parse(text);
    return msg.type === type ? msg : undefined;
  } catch {
    return undefined;
  }
}

/** Split JSON text around the placeholder so that a frame is `pre + ts + post`. */
function template(value, prefix = '') {
  const text = prefix + JSON.stringify(value);
  const at = text.indexOf(PLACEHOLDER);
  return [text.slice(0, at), text.slice(at + PLACEHOLDER.length)];
}

const candidateLine = `candidate:842163049 1 udp 1677729535 192.0.2.10 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXvQ network-cost 999 ${TS_MARKER}${PLACEHOLDER}-`;

/** A plausible SDP offer (audio + video, Chrome-like lines) of about `bytes` bytes. */
export function fakeSdp(bytes) {
  const head = [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    `s=${TS_MARKER}${PLACEHOLDER}-`,
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS 6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:sXvQ',
    'a=ice-pwd:Mz5nX2u3bQk9r1vYc7a0LwEd',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 8A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9',
    'a=setup:actpass',
    'a=mid:0',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101 102 103 104 105 106 107 108 109',
    'c=IN IP4 0.0.0.0',
    'a=mid:1',
  ];
  const lines = [...head];
  let pt = 96;
  while (lines.join('\r\n').length < bytes - 60) {
    lines.push(
      `a=rtpmap:${pt} VP8/90000`,
      `a=rtcp-fb:${pt} goog-remb`,
      `a=rtcp-fb:${pt} transport-cc`,
      `a=rtcp-fb:${pt} ccm fir`,
      `a=rtcp-fb:${pt} nack`,
      `a=rtcp-fb:${pt} nack pli`,
      `a=fmtp:${pt} level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f`,
    );
    pt = pt >= 127 ? 96 : pt + 1;
  }
  return lines.join('\r\n') + '\r\n';
}

/** SDP sizes in the realistic 4–6 KB range; frames cycle through them. */
export const SDP_SIZES = [4096, 4600, 5100, 5600, 6000];

const parleyLike = {
  async open(port, { room }) {
    const ws = openSocket(`ws://127.0.0.1:${port}/ws`);
    const welcome = waitFor(ws, (t) => jsonType(t, 'welcome'), 'welcome');
    await new Promise((res, rej) => {
      ws.once('open', res);
      ws.once('error', rej);
    });
    ws.send(JSON.stringify({ type: 'hello', v: 1 }));
    await welcome;
    const joined = waitFor(ws, (t) => jsonType(t, 'joined'), 'joined');
    ws.send(
      JSON.stringify({
        type: 'join',
        room,
        name: 'bench',
        media: { audio: false, video: false },
      }),
    );
    const msg = await joined;
    return { ws, self: msg.self, peers: msg.peers.map((p) => p.id) };
  },
  /**
   * Both are in the room once the second has its `joined`, which must list the first (it
   * may not when they are on two nodes that do not share rooms).
   */
  async paired(first, second) {
    if (!second.peers.includes(first.self)) {
      throw new Error(
        `the second client's joined does not list the first (${first.self}): they are not in one room`,
      );
    }
  },
  templates(_from, to, _room) {
    return {
      offers: SDP_SIZES.map((n) =>
        template({ type: 'signal', to: to.self, description: { type: 'offer', sdp: fakeSdp(n) } }),
      ),
      candidate: template({
        type: 'signal',
        to: to.self,
        candidate: { candidate: candidateLine, sdpMid: '0', sdpMLineIndex: 0 },
      }),
    };
  },
};

let peerjsCounter = 0;

export const drivers = {
  parley: parleyLike,
  bare: parleyLike,
  peerjs: {
    async open(port) {
      const id = `bench${process.pid}x${++peerjsCounter}`;
      const ws = openSocket(
        `ws://127.0.0.1:${port}/peerjs?key=peerjs&id=${id}&token=t${peerjsCounter}&version=1.5.4`,
      );
      await waitFor(ws, (t) => jsonType(t, 'OPEN'), 'OPEN');
      return { ws, self: id };
    },
    async paired() {},
    templates(_from, to) {
      return {
        offers: SDP_SIZES.map((n) =>
          template({
            type: 'OFFER',
            dst: to.self,
            payload: {
              sdp: { type: 'offer', sdp: fakeSdp(n) },
              type: 'media',
              connectionId: 'mc_bench',
            },
          }),
        ),
        candidate: template({
          type: 'CANDIDATE',
          dst: to.self,
          payload: {
            candidate: { candidate: candidateLine, sdpMid: '0', sdpMLineIndex: 0 },
            type: 'media',
            connectionId: 'mc_bench',
          },
        }),
      };
    },
  },
  socketio: {
    async open(port, { room }) {
      const ws = openSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
      // Engine.IO heartbeat: the server pings ("2"), the client must pong ("3").
      ws.on('message', (data) => {
        if (data.length === 1 && data[0] === 0x32) {
          ws.send('3');
        }
      });
      await waitFor(ws, (t) => (t.startsWith('0{') ? true : undefined), 'engine.io open');
      const connected = waitFor(ws, (t) => (t.startsWith('40') ? true : undefined), 'connect');
      ws.send('40');
      await connected;
      ws.send('42' + JSON.stringify(['join-room', room]));
      return { ws, self: room };
    },
    /** The first one learns the second has joined from `user-joined`. */
    async paired(first, _second, joinedPromise) {
      await joinedPromise;
    },
    expectJoin(first) {
      return waitFor(
        first.ws,
        (t) => (t.startsWith('42["user-joined"') ? true : undefined),
        'user-joined',
      );
    },
    templates(_from, _to, room) {
      return {
        offers: SDP_SIZES.map((n) =>
          template(['offer', { roomId: room, offer: { type: 'offer', sdp: fakeSdp(n) } }], '42'),
        ),
        candidate: template(
          [
            'ice-candidate',
            {
              roomId: room,
              candidate: { candidate: candidateLine, sdpMid: '0', sdpMLineIndex: 0 },
            },
          ],
          '42',
        ),
      };
    },
  },
};

/**
 * Connect two clients into one room, ready to relay to each other; the second connects to
 * `portB` when given (another node of a cluster).
 */
export async function openPair(kind, port, room, portB = port) {
  const d = drivers[kind];
  const a = await d.open(port, { room });
  const joinSeen = d.expectJoin?.(a);
  const b = await d.open(portB, { room });
  await d.paired(a, b, joinSeen);
  return {
    a,
    b,
    aToB: d.templates(a, b, room),
    bToA: d.templates(b, a, room),
  };
}
