// The HTTP layer: the app, its helpers (bodies, validation, errors, security headers), the routes.
export * from './app';
export * from './approval-view';
export * from './cache-policy';
export * from './error-handler';
export * from './html-page';
export * from './oauth-state-cookie';
export * from './json-body';
export * from './rate-limits';
export * from './security-headers';
export * from './sync-wait';
export * from './validate';
export * from './routes/approval-page';
export type * from './deps';
export type * from './intake-verification';
