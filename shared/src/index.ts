export * from './status';
export * from './json';
export * from './fields';
export * from './approval';
export * from './decision';
export * from './callback';
export * from './errors';
export * from './client';
