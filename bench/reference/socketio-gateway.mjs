#!/usr/bin/env node
/**
 * A Socket.IO room gateway as in the user's notes (seed 003, the NestJS gateway):
 * `join-room` joins a Socket.IO room and tells the others `user-joined`; `offer`,
 * `answer` and `ice-candidate` carry `{ roomId, ... }` and are emitted to everyone else
 * in that room. The per-message console.log of the original is left out (it would
 * measure the terminal, not the gateway).
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { announce } from '../servers/ipc.mjs';

const http = createServer();
const io = new Server(http, { cors: { origin: true }, maxHttpBufferSize: 1e6 });
io.on('connection', (socket) => {
  socket.on('join-room', (roomId) => {
    socket.join(roomId);
    socket.to(roomId).emit('user-joined');
  });
  socket.on('offer', (data) => socket.to(data.roomId).emit('offer', data.offer));
  socket.on('answer', (data) => socket.to(data.roomId).emit('answer', data.answer));
  socket.on('ice-candidate', (data) =>
    socket.to(data.roomId).emit('ice-candidate', data.candidate),
  );
});
http.listen(0, '127.0.0.1', () => announce(http.address().port));
