// Opening the configured store, and watching its writes. The adapters are store/sqlite and store/mongo.
export * from './open-store';
export * from './write-failure';
export * from './write-health';
