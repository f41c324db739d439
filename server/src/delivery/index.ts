// The outbox: delivery kinds, the worker, fair claims, and Standard Webhooks signing.
export * from './callback-delivery';
export * from './delivery-host';
export * from './delivery-kind';
export * from './delivery-worker';
export * from './fair-share';
export * from './host-breaker';
export * from './http-delivery';
export * from './new-delivery';
export * from './note-kinds';
export * from './outbox';
export * from './signing';
