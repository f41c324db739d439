// The MongoDB store (loads mongoose).
export * from './mongo-store';
export * from './models';
export * from './documents';
