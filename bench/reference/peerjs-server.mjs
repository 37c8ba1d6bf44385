#!/usr/bin/env node
/**
 * The PeerJS server (npm `peer`), stock, on a random loopback port. Only two limits are
 * raised so that the bench measures the relay rather than the defaults: the cap of
 * 5,000 concurrent clients (the connection bench holds 10,000) and the 90 s liveness
 * timeout (idle bench clients do not send PeerJS heartbeats).
 */
import { PeerServer } from 'peer';
import { announce } from '../servers/ipc.mjs';

PeerServer(
  {
    port: 0,
    host: '127.0.0.1',
    path: '/',
    key: 'peerjs',
    concurrent_limit: 1_000_000,
    alive_timeout: 3_600_000,
  },
  (server) => announce(server.address().port),
);
