// The embedded SQLite store.
export * from './sqlite-store';
export * from './online-backup';
export { MIGRATIONS } from './schema';
