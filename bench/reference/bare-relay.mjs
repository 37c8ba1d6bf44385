#!/usr/bin/env node
/**
 * The physical limit: a `ws` server that parses each frame as JSON and forwards it, as
 * received, to the addressed member of the sender's room. No validation, no limits, no
 * sender stamping, no heartbeats. It speaks Parley's wire shapes (hello/welcome,
 * join/joined, signal with `to`) so the same load generator drives both.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { announce } from '../servers/ipc.mjs';

const rooms = new Map();
let nextId = 0;
const http = createServer();
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: false });
wss.on('connection', (ws) => {
  let room = null;
  const id = `p${++nextId}`;
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.type === 'signal') {
      room?.get(msg.to)?.send(data, { binary: false });
    } else if (msg.type === 'hello') {
      ws.send(JSON.stringify({ type: 'welcome', v: 1, sessionId: id }));
    } else if (msg.type === 'join') {
      room = rooms.get(msg.room) ?? new Map();
      rooms.set(msg.room, room);
      const peers = [...room.keys()].map((p) => ({ id: p }));
      for (const other of room.values()) {
        other.send(JSON.stringify({ type: 'peer-joined', peer: { id } }));
      }
      room.set(id, ws);
      ws.send(JSON.stringify({ type: 'joined', room: msg.room, self: id, peers }));
    }
  });
  ws.on('close', () => room?.delete(id));
  ws.on('error', () => {});
});
http.listen(0, '127.0.0.1', () => announce(http.address().port));
