// Intercom: webhooks, settings, conversation notes, OAuth install, the canvas backend.
export * from './canvas-backend';
export * from './conversation-note';
export * from './intercom-settings';
export * from './message-text';
export * from './notification-age';
export * from './relay-request';
export * from './request-templates';
export * from './webhook-processor';
export * from './webhook-routes';
export * from './webhook-signature';
