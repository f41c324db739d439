// The domain core: records, ports, the approval service and its rules.
export * from './approval-effects';
export * from './approval-service';
export * from './context';
export * from './cursor';
export * from './errors';
export * from './ids';
export * from './records';
export * from './request-hash';
export * from './settlement-summary';
export * from './settlement-waiters';
export * from './workspace-records';
export type * from './ports';
