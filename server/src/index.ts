// @countersign/server: start Countersign from code (tests, benchmarks, embedding).
export { loadConfig, type Config } from './config';
export { startCountersign, type RunningCountersign, type StartOptions } from './countersign';
export { verifySignature, signatureHeader, sign } from './delivery/signing';
