// The store ports, in one import for the adapters and the composition root.
export type * from './approval-store';
export type * from './outbox-store';
export type * from './platform-event-store';
export type * from './workspace-store';
export type * from './meta-store';
export type * from './policy-store';
export type * from './change-feed';
export type * from './posted-message-store';
export type * from './session-handoff-store';
export type * from './store';
