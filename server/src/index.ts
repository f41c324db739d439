// @countersign/server: start Countersign from code (tests, benchmarks, embedding).
export { loadConfig, type Config } from './config/config';
export { startCountersign, type RunningCountersign, type StartOptions } from './app/countersign';
export { verifySignature, signatureHeader, sign } from './delivery/signing';
