// Logs and the backlog report.
export * from './backlog-report';
export * from './log';
