// Secrets at rest (AES-256-GCM under the secret key) and signed, expiring tokens.
export * from './master-key';
export * from './secret-box';
export * from './signed-token';
