#!/usr/bin/env node
/**
 * The floor for call set-up in a browser: a minimal signaling server for the reference
 * mesh page next to it. It serves index.html for every path (so `/r/<room>?name=…` works
 * like Parley's direct-join link) and relays on /ws: `join` answers `joined` with the
 * peer list, `signal` goes to the addressed peer with `from` stamped. Nothing else.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { announce } from '../../servers/ipc.mjs';

const page = readFileSync(new URL('./index.html', import.meta.url));
const rooms = new Map();
let nextId = 0;

const http = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(page);
});
const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false });
wss.on('connection', (ws) => {
  const id = `m${++nextId}`;
  let room = null;
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.type === 'join') {
      room = rooms.get(msg.room) ?? new Map();
      rooms.set(msg.room, room);
      ws.send(JSON.stringify({ type: 'joined', self: id, peers: [...room.keys()] }));
      room.set(id, ws);
    } else if (msg.type === 'signal') {
      room?.get(msg.to)?.send(JSON.stringify({ ...msg, from: id }));
    }
  });
  ws.on('close', () => room?.delete(id));
});
http.listen(0, '127.0.0.1', () => announce(http.address().port));
