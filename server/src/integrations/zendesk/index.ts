// Zendesk: intake signatures, settings, ticket notes, agent sign-in (OAuth) and reviewer sessions.
export * from './agent-sign-in';
export * from './intake-verifier';
export * from './reviewer-sessions';
export * from './sign-in-routes';
export * from './ticket-note';
export * from './webhook-signature';
export * from './zendesk-settings';
