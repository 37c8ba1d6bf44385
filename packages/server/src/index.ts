export { createServer, type ParleyServer, type ServerDeps } from './app.js';
export { loadConfig, helpText, ConfigError, optionSpecs, type Config } from './config.js';
export { Gateway, type GatewayHooks, type MessageHandler } from './signaling/gateway.js';
export { ProtocolError } from './signaling/protocol-error.js';
export { type GatewayObserver, type OutboundType } from './signaling/observer.js';
export { Metrics, type CollectedGauge, type Collector } from './ops/metrics.js';
export { type ReadinessCheck, type ReadinessReport } from './ops/readiness.js';
export { InMemoryRoomDirectory, type RoomDirectory, type RoomMember } from './rooms/index.js';
export {
  ConfiguredIceServers,
  mintTurnCredential,
  type IceServerProvider,
} from './ice/ice-servers.js';
export {
  openStore,
  migrateToLatest,
  type Store,
  type Database,
  type Tables,
  type DialectName,
} from './store/index.js';
export { KyselyChatStore, type ChatStore } from './chat/index.js';
