// The playground server's own endpoints (same origin). Every call answers parsed JSON or throws
// a PlaygroundApiError carrying the server's error message.
import type { ApprovalView, DecisionInput, ErrorBody } from '@countersign/shared';
import type { CallbackChannel, ReceivedCallback } from '../callback-inbox';
import type { SAMPLE_AGENT, SAMPLE_TICKET, SeedName } from '../sample-ticket';
import type { TicketNote } from '../ticket-notes';

/** GET /playground/api/config: what the ticket view and the ZAF host emulator start from. */
export interface PlaygroundConfig {
  ticket: typeof SAMPLE_TICKET;
  currentUser: typeof SAMPLE_AGENT;
  account: { subdomain: string };
  /** The app's settings as Zendesk would list them: secure ones as '{{secure}}', never their value. */
  appSettings: Record<string, string>;
  seeds: { cancellation: { maxWaitMs: number | null } };
}

/** What the playground server relays from Countersign: its HTTP status (0 when unreachable) and its answer, JSON or text. */
export interface Relayed {
  status: number;
  body: unknown;
}

/**
 * The fields of a relayed answer, each possibly absent (a text answer has none): by default an
 * approval's or the error shape's. Countersign's answers follow the shared schemas; the page still
 * reads every field as one that may be missing.
 */
export function answerFields<T extends object = ApprovalView & ErrorBody>(body: unknown): Partial<T> {
  return body !== null && typeof body === 'object' ? (body as Partial<T>) : {};
}

export class PlaygroundApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'PlaygroundApiError';
  }
}

/** What a failure says, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!response.ok) {
    const { error } = answerFields(body);
    throw new PlaygroundApiError(error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`, response.status, body);
  }
  return body as T;
}

export const post = <T>(path: string, body: unknown): Promise<T> =>
  call<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The built Zendesk app's manifest.json: only what the page reads of it. */
export interface AppManifest {
  name?: string;
  version?: string;
  location?: { support?: { ticket_sidebar?: string | { url?: string }; top_bar?: string | { url?: string } } };
}

export const playgroundApi = {
  config: () => call<PlaygroundConfig>('/playground/api/config'),
  /** 'refund' (seed 000) or 'cancellation' (seed 001, held until decided; `run` tags the request). */
  postSeed: (kind: SeedName, { run }: { run?: string } = {}) => post<Relayed>(`/playground/api/seeds/${kind}`, run ? { run } : {}),
  /** Each automation's own receiver. */
  receiver: (channel: CallbackChannel) => call<{ deliveries: ReceivedCallback[] }>(`/playground/api/receiver?channel=${encodeURIComponent(channel)}`),
  ticketNotes: (ticketId: string | number) => call<{ notes: TicketNote[] }>(`/playground/api/tickets/${encodeURIComponent(ticketId)}/notes`),
  decideElsewhere: (approvalId: string, decision: DecisionInput['decision'], note: string | undefined) =>
    post<Relayed>('/playground/api/decide-elsewhere', { approvalId, decision, note }),
  /**
   * Raw: the proxy's HTTP response is interpreted by zaf-request.ts, not here. `options` are what an
   * app passed to client.request (ZafRequestOptions, when the page asks itself); the server validates them.
   */
  zafRequest: (options: unknown) =>
    fetch('/playground/api/zaf-request', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ options }) }),
  appManifest: () => call<AppManifest>('/playground/zendesk-app/manifest.json'),
};
