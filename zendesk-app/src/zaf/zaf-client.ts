// The part of the ZAF v2 client this app uses. The real one comes from zendesk_app_framework_sdk;
// tests pass a fake with the same shape.

export type ZafEventHandler = (payload?: unknown) => void;

/** Options of client.request as Zendesk's proxy reads them. */
export interface ZafRequestOptions {
  url: string;
  type: 'GET' | 'POST';
  contentType?: string;
  data?: string;
  headers?: Record<string, string>;
  secure?: boolean;
  cors?: boolean;
  httpCompleteResponse?: boolean;
  timeout?: number;
}

export interface ZafClient {
  /** Set by the SDK once `app.registered` has arrived; absent on fakes. */
  ready?: boolean;
  get(paths: string | string[]): Promise<Record<string, unknown>>;
  on(event: string, handler: ZafEventHandler): void;
  off?(event: string, handler: ZafEventHandler): unknown;
  invoke(name: string, ...args: unknown[]): Promise<unknown>;
  request(options: ZafRequestOptions): Promise<unknown>;
  /** The SDK has it; some hosts (and fakes) do not. */
  set?(path: string, value: unknown): Promise<unknown>;
  /** Another location's client, by its instance guid (from `get('instances')`). */
  instance?(instanceGuid: string): ZafClient;
}

/** Resolves once the host has registered the app (at once when that already happened). */
export function whenRegistered(client: ZafClient): Promise<void> {
  if (client.ready === true) return Promise.resolve();
  return new Promise((resolve) => client.on('app.registered', () => resolve()));
}
