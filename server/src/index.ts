// @countersign/server: start Countersign from code (the executable, tests, benchmarks, embedding).
// Each folder's public surface is also its own entry: @countersign/server/<folder> (see package.json).
export { loadConfig, type Config } from './config/config';
export { startCountersign, type RunningCountersign, type StartOptions } from './app/countersign';
export { runFromEnvironment, type RunOptions } from './app/run';
export type { CountersignExtension, ExtensionHost } from './app/extension';
export { verifySignature, signatureHeader, sign } from './delivery/signing';
