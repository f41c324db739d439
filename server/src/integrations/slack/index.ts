// Slack: the workspace's link (by `slack link` or "Add to Slack"), the request messages as outbox deliveries, and the interactions endpoint.
export * from './block-text';
export * from './decision-modals';
export * from './install-link';
export * from './interaction-routes';
export * from './oauth-access';
export * from './oauth-routes';
export * from './request-links';
export * from './request-message';
export * from './request-signature';
export * from './slack-client';
export * from './slack-delivery';
export * from './slack-interactions';
export * from './slack-link';
export * from './slack-members';
export * from './slack-settings';
