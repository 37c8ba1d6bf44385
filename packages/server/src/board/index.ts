// The board feature's public surface: other features import from here only.
export { registerBoard, type BoardFeature, type BoardOptions } from './board-service.js';
export { InMemoryBoardDirectory, type BoardDirectory, type StoredPost } from './board-directory.js';
