// A stand-in for the ZAF client: registers itself shortly after creation (as the SDK does once the
// host answers the handshake), answers `get` from fixed values, records `invoke`, and lets a test fire
// host events such as colorScheme.changed or ticket.updated.
import { vi } from 'vitest';
import type { ZafClient, ZafEventHandler, ZafRequestOptions } from '../../../zendesk-app/src/zaf/zaf-client';

export interface FakeZafOptions {
  ticketId?: number;
  user?: { id: number; name: string; email?: string; locale?: string };
  colorScheme?: 'light' | 'dark' | null;
  request: (options: ZafRequestOptions) => Promise<unknown>;
}

export type FakeZafClient = ZafClient & {
  get: ReturnType<typeof vi.fn<ZafClient['get']>>;
  invoke: ReturnType<typeof vi.fn<ZafClient['invoke']>>;
  request: ReturnType<typeof vi.fn<ZafClient['request']>>;
  context: () => Promise<unknown>;
  metadata: () => Promise<unknown>;
  fire: (event: string, payload?: unknown) => void;
  listeners: (event: string) => number;
};

export const AGENT = { id: 7, name: 'Avery Agent', email: 'avery@example.com', locale: 'en-US' };

export function createFakeZafClient(options: FakeZafOptions): FakeZafClient {
  const handlers = new Map<string, ZafEventHandler[]>();
  const ticketId = options.ticketId ?? 4512;
  const values: Record<string, unknown> = { 'ticket.id': ticketId, currentUser: options.user ?? AGENT };
  if (options.colorScheme !== null) values.colorScheme = options.colorScheme ?? 'light';

  const client: FakeZafClient = {
    ready: false,
    get: vi.fn<ZafClient['get']>(async (paths) => {
      const list = Array.isArray(paths) ? paths : [paths];
      return Object.fromEntries(list.filter((path) => path in values).map((path) => [path, values[path]]));
    }),
    on: (event, handler) => handlers.set(event, [...(handlers.get(event) ?? []), handler]),
    off: (event, handler) => handlers.set(event, (handlers.get(event) ?? []).filter((existing) => existing !== handler)),
    invoke: vi.fn<ZafClient['invoke']>(async () => undefined),
    request: vi.fn<ZafClient['request']>(options.request),
    context: async () => ({ product: 'support', location: 'ticket_sidebar', ticketId }),
    metadata: async () => ({ settings: {} }),
    fire: (event, payload) => {
      for (const handler of handlers.get(event) ?? []) handler(payload);
    },
    listeners: (event) => handlers.get(event)?.length ?? 0,
  };
  setTimeout(() => {
    client.ready = true;
    client.fire('app.registered', { context: { location: 'ticket_sidebar' }, metadata: {} });
  }, 0);
  return client;
}
