// The in-memory store, for tests and embedding (never chosen by configuration).
export * from './memory-store';
