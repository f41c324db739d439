// Opening the configured store, and watching its writes. The adapters are store/sqlite and store/mongo
// (store/memory, for tests and embedding, is never opened from configuration).
export * from './open-store';
export * from './write-failure';
export * from './write-health';
