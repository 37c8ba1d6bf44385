/**
 * The first exchange that proves a server accepts WebSockets and speaks its protocol:
 * Parley and the bare relay answer `hello` with `welcome`, PeerJS sends OPEN, Socket.IO
 * completes its connect handshake.
 */
import WebSocket from 'ws';

const urls = {
  parley: (port) => `ws://127.0.0.1:${port}/ws`,
  bare: (port) => `ws://127.0.0.1:${port}/`,
  peerjs: (port) => `ws://127.0.0.1:${port}/peerjs?key=peerjs&id=first&token=t`,
  socketio: (port) => `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`,
};

export function firstContact(kind, port, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(urls[kind](port), { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`${kind}: no handshake in ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      ws.terminate();
      resolve();
    };
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.on('open', () => {
      if (kind === 'parley' || kind === 'bare') {
        ws.send(JSON.stringify({ type: 'hello', v: 1 }));
      }
    });
    ws.on('message', (data) => {
      const t = data.toString();
      if ((kind === 'parley' || kind === 'bare') && t.includes('"type":"welcome"')) {
        done();
      } else if (kind === 'peerjs' && t.includes('"OPEN"')) {
        done();
      } else if (kind === 'socketio') {
        if (t.startsWith('0{')) {
          ws.send('40');
        } else if (t.startsWith('40')) {
          done();
        }
      }
    });
  });
}
