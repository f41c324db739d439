// API keys: generated, hashed, recognised by prefix.
export * from './api-keys';
