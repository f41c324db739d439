// Slack's own Web API client (@slack/web-api), configured for a caller that retries on its own: the
// outbox retries deliveries on its schedule, and an interaction has 3 seconds. So the client makes one
// attempt (no retry loop holding a delivery slot for minutes), rejects a 429 at once with Slack's
// Retry-After (the outbox honours it), stops at a deadline, follows no redirect, and only ever calls
// its configured base URL (never an absolute URL handed to it).
import { ErrorCode, LogLevel, WebClient, type Logger as SlackLogger, type WebAPICallResult } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AttemptResult } from '../../delivery/delivery-kind';

export interface SlackClientOptions {
  apiUrl: string;
  timeoutMs: number;
  log?: Logger;
}

/** `token` undefined for the calls that take none (oauth.v2.access authenticates with the app's client id and secret). */
export function slackClient(token: string | undefined, options: SlackClientOptions): WebClient {
  return new WebClient(token, {
    slackApiUrl: `${options.apiUrl}/`,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs,
    allowAbsoluteUrls: false,
    logger: slackLogger(options.log),
  });
}

/** Slack's answers that another attempt may fix; every other `ok: false` is a request Slack will always refuse. */
const TRANSIENT_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/** What a failed Web API call comes to, as the outbox records an attempt. Never includes the token. */
export function failedAttempt(error: unknown, durationMs: number): AttemptResult {
  const coded = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  switch (coded.code) {
    case ErrorCode.RateLimitedError:
      return { ok: false, statusCode: 429, error: `Slack rate limited the call (Retry-After ${coded.retryAfter ?? 0} s)`, retryAfterMs: Math.max(0, coded.retryAfter ?? 0) * 1000, permanent: false, durationMs };
    case ErrorCode.PlatformError: {
      const reason = String(coded.data?.error ?? 'unknown_error').slice(0, 100);
      return { ok: false, statusCode: 200, error: `Slack refused the call: ${reason}`, retryAfterMs: null, permanent: !TRANSIENT_ERRORS.has(reason), durationMs };
    }
    case ErrorCode.HTTPError: {
      const status = coded.statusCode ?? 0;
      return { ok: false, statusCode: status, error: `Slack answered HTTP ${status}`, retryAfterMs: null, permanent: status >= 400 && status < 500 && status !== 408, durationMs };
    }
    default:
      // No answer (a timeout, a refused connection): the request may not have reached Slack.
      return { ok: false, statusCode: null, error: `Slack could not be reached: ${requestProblem(error)}`, retryAfterMs: null, permanent: false, durationMs };
  }
}

export function succeeded(result: WebAPICallResult, durationMs: number): AttemptResult {
  return { ok: result.ok === true, statusCode: 200, error: null, retryAfterMs: null, permanent: false, durationMs };
}

function requestProblem(error: unknown): string {
  const original = (error as { original?: Error }).original ?? (error as Error);
  if (original?.name === 'TimeoutError' || original?.name === 'AbortError') return 'timed out';
  const cause = (original as { cause?: { code?: string } })?.cause?.code;
  return cause ?? (original?.message?.slice(0, 100) || 'request failed');
}

/** The client's own log lines go to ours, at debug, except its warnings; its debug lines never (they carry bodies). */
function slackLogger(log: Logger | undefined): SlackLogger {
  let level = LogLevel.WARN;
  return {
    debug: () => undefined,
    info: (...msg: unknown[]) => log?.debug({ slack: msg.map(String).join(' ') }, 'slack client'),
    warn: (...msg: unknown[]) => log?.debug({ slack: msg.map(String).join(' ') }, 'slack client warning'),
    error: (...msg: unknown[]) => log?.warn({ slack: msg.map(String).join(' ') }, 'slack client error'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
