// Workspaces, their keys and callback secrets, and the first-start bootstrap.
export * from './bootstrap';
export * from './callback-secret';
export * from './workspaces';
export * from './creation-notes';
