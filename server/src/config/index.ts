// Configuration from the environment, and the durations it is written in.
export * from './config';
export * from './dedup-window';
export * from './duration';
