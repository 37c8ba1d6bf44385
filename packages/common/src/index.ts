export { Emitter, type EventMap } from './emitter.js';
export { ExponentialBackoff, type ReconnectPolicy } from './backoff.js';
