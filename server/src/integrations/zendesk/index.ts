// Zendesk: intake signatures, settings, ticket notes.
export * from './intake-verifier';
export * from './ticket-note';
export * from './webhook-signature';
export * from './zendesk-settings';
