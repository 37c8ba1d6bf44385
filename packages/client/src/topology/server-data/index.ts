export { ServerDataPath, type ServerDataEvents } from './server-data-path.js';
