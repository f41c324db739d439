// The part of autocannon's programmatic API the bench uses (the package ships no types, and no
// @types/autocannon is installed).
declare module 'autocannon' {
  export interface AutocannonOptions {
    url: string;
    method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    pipelining?: number;
    /** Seconds. */
    duration?: number;
    /** Requests to send in all, instead of a duration. */
    amount?: number;
    /** Seconds a request may take before it counts as a timeout. */
    timeout?: number;
    title?: string;
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
    p99_9: number;
  }

  export interface AutocannonResult {
    title?: string;
    url: string;
    connections: number;
    /** Seconds actually spent loading. */
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    '1xx': number;
    '2xx': number;
    '3xx': number;
    '4xx': number;
    '5xx': number;
    statusCodeStats: Record<string, { count: number }>;
    /** Milliseconds, whole; every response unless excludeErrorStats. */
    latency: Histogram;
    /** Completed requests per one-second sample; `total` is every completed request. */
    requests: Histogram & { sent: number };
    throughput: Histogram;
  }

  /** A running load: resolves with the result; emits 'response' for every response. */
  export interface AutocannonRun extends PromiseLike<AutocannonResult> {
    on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): this;
    stop(): void;
  }

  function autocannon(options: AutocannonOptions): AutocannonRun;
  export default autocannon;
}
