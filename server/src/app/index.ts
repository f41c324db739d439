// The composition root: starting Countersign, running it as a process, the extension point.
export * from './countersign';
export * from './extension';
export * from './run';
export * from './node-flags';
