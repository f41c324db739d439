// The host side of the ZAF SDK's postMessage protocol (zendesk_app_framework_sdk 2.0.x,
// lib/client.js), i.e. what Zendesk's agent workspace does for a ticket_sidebar app.
//
// App → host (JSON strings posted to window.parent with targetOrigin = the `origin` query param):
//   {key:'iframe.handshake', message:{version}, appGuid, instanceGuid}
//   {id, request:'get'|'set'|'invoke', params, appGuid, instanceGuid}   (answered by id)
//   {key:'iframe.on:<event>'|'iframe.off:<event>', message:{subscriberCount}}
//   {key:'iframe.trigger:<event>', message:data}
//   {key:'request:<n>', message:options}   client.request(); settled by the events
//                                          'request:<n>.done' / 'request:<n>.fail' with {responseArgs}
//   {key:'iframe.reply:<event>', error?}   reply to an event sent with needsReply
// Host → app (the SDK accepts only event.origin === its `origin` param and event.source === window.parent):
//   {id, result} | {id, error:{name,message}}   for get/set/invoke (per-path errors live in result.errors)
//   {key:'zaf.<event>', message:data}           events; the SDK strips 'zaf.' and calls the handlers
import type { TrafficDirection } from './traffic-log';
import { answerGet, answerSet, pathError, type ZafResult, type ZafTree } from './zaf-paths';
import { performZafRequest } from './zaf-request';

// Zendesk delivers these whether or not the app subscribed; every other event only after iframe.on.
const LIFECYCLE_EVENTS = new Set(['app.registered', 'app.activated', 'app.deactivated']);

/** A message from the app, as the SDK posts it; every field is the app's say, so each is checked where read. */
interface AppMessage {
  id?: unknown;
  request?: unknown;
  params?: unknown;
  key?: unknown;
  message?: unknown;
  error?: unknown;
  appGuid?: unknown;
}

/** A get/set/invoke call: answered by id. */
interface AppCall extends AppMessage {
  request: string;
}

/** What the host posts to the app: an answer by id, or an event. */
type HostMessage = { id: unknown; result: ZafResult } | { id: unknown; error: { name: string; message: string } } | { key: string; message: unknown };

export interface ZafHostOptions {
  /** The app's frame. */
  iframe: HTMLIFrameElement;
  /** The app_guid put in the frame's URL. */
  appGuid: string;
  /** What client.metadata() resolves with (never secure settings). */
  metadata: Record<string, unknown>;
  /** What client.context() resolves with. */
  context: Record<string, unknown>;
  /** The get tree: ticket, currentUser, currentAccount, colorScheme. */
  data: ZafTree;
  /** POSTs {options} to the proxy. */
  sendRequest: (options: unknown) => Promise<Response>;
  onNotify: (message: string, kind: string, durationMs: number | null) => void;
  onTraffic?: (direction: TrafficDirection, text: string) => void;
  /** invoke('routeTo', …): where the app asked Zendesk to go (the top-bar queue opens tickets). */
  onRouteTo?: (args: unknown[]) => void;
  /** set('iconSymbol', id): the top-bar icon's symbol (the queue's count). */
  onIconSymbol?: (symbol: string) => void;
}

function parse(data: unknown): AppMessage | null {
  if (typeof data !== 'string') return isObject(data) ? data : null;
  try {
    const value: unknown = JSON.parse(data);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** '450px' | 450 | '100%' → a CSS length, or null when the app sent nonsense. */
function cssLength(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return `${Math.max(0, value)}px`;
  if (typeof value === 'string' && /^\d+(\.\d+)?(px|%|vh|em|rem)?$/.test(value.trim())) {
    const v = value.trim();
    return /\d$/.test(v) ? `${v}px` : v;
  }
  return null;
}

export class ZafHost {
  private readonly iframe: HTMLIFrameElement;
  private readonly appGuid: string;
  private readonly metadata: Record<string, unknown>;
  private readonly context: Record<string, unknown>;
  private readonly data: ZafTree;
  private readonly sendRequest: ZafHostOptions['sendRequest'];
  private readonly onNotify: ZafHostOptions['onNotify'];
  private readonly onTraffic: NonNullable<ZafHostOptions['onTraffic']>;
  private readonly onRouteTo: ZafHostOptions['onRouteTo'];
  private readonly onIconSymbol: ZafHostOptions['onIconSymbol'];
  private readonly origin = window.location.origin;
  /** event name → subscriber count the SDK last reported */
  private readonly subscriptions = new Map<string, number>();
  private registered = false;
  private readonly listener = (event: MessageEvent) => this.receive(event);

  constructor({ iframe, appGuid, metadata, context, data, sendRequest, onNotify, onTraffic, onRouteTo, onIconSymbol }: ZafHostOptions) {
    this.iframe = iframe;
    this.appGuid = appGuid;
    this.metadata = metadata;
    this.context = context;
    this.data = { ...data, instances: { [appGuid]: context } };
    this.sendRequest = sendRequest;
    this.onNotify = onNotify;
    this.onTraffic = onTraffic ?? (() => {});
    this.onRouteTo = onRouteTo;
    this.onIconSymbol = onIconSymbol;
  }

  start(): void {
    window.addEventListener('message', this.listener);
  }

  stop(): void {
    window.removeEventListener('message', this.listener);
  }

  isSubscribed(eventName: string): boolean {
    return (this.subscriptions.get(eventName) ?? 0) > 0;
  }

  /** Sends an event to the app the way Zendesk does: only if the app listens (lifecycle events always). */
  trigger(eventName: string, message: unknown): boolean {
    if (!this.registered) return false;
    if (!LIFECYCLE_EVENTS.has(eventName) && !this.isSubscribed(eventName)) {
      this.onTraffic('note', `${eventName} not sent: the app has no handler for it`);
      return false;
    }
    this.post({ key: `zaf.${eventName}`, message });
    return true;
  }

  setColorScheme(scheme: string): boolean {
    this.data.colorScheme = scheme;
    return this.trigger('colorScheme.changed', scheme);
  }

  // --- inbound ----------------------------------------------------------------------------------

  private receive(event: MessageEvent): void {
    // Only the app's own frame, served from this origin, may talk to the host.
    if (event.source !== this.iframe.contentWindow || event.origin !== this.origin) return;
    const msg = parse(event.data);
    if (!msg) return;
    if (msg.appGuid !== undefined && msg.appGuid !== this.appGuid) {
      this.onTraffic('note', `ignored a message for another app_guid (${String(msg.appGuid)})`);
      return;
    }
    if (typeof msg.request === 'string' && msg.id !== undefined) return this.answerCall(msg as AppCall);
    if (typeof msg.key === 'string') return this.handleKey(msg.key, msg);
  }

  private handleKey(key: string, msg: AppMessage): void {
    if (key === 'iframe.handshake') return this.register(msg.message);
    const [kind, name = ''] = splitOnce(key, ':');
    switch (kind) {
      case 'iframe.on':
      case 'iframe.off': {
        const count = Number(isObject(msg.message) ? msg.message.subscriberCount : undefined) || 0;
        this.subscriptions.set(name, count);
        // The SDK subscribes to request:<n>.done/.fail for every request; that is noise in the log.
        if (!name.startsWith('request:')) this.onTraffic('in', `${kind} ${name} (${count} handler${count === 1 ? '' : 's'})`);
        return;
      }
      case 'iframe.trigger':
        this.onTraffic('in', `trigger ${name}`);
        this.trigger(name, msg.message);
        return;
      case 'iframe.reply':
        this.onTraffic('in', `reply to ${name}${msg.error ? ` (refused: ${String(isObject(msg.error) ? msg.error.msg : undefined)})` : ''}`);
        return;
      case 'request':
        void this.proxy(name, msg.message);
        return;
      default:
        this.onTraffic('in', `message ${key}`);
    }
  }

  private register(handshake: unknown): void {
    // A new handshake is a new document in the frame (first load or reload): start over.
    this.subscriptions.clear();
    this.registered = true;
    this.onTraffic('in', `handshake (SDK ${String((isObject(handshake) ? handshake.version : undefined) ?? '?')})`);
    this.post({ key: 'zaf.app.registered', message: { metadata: this.metadata, context: this.context } });
    this.post({ key: 'zaf.app.activated', message: { firstLoad: true } });
  }

  private answerCall({ id, request, params }: AppCall): void {
    let result: ZafResult;
    switch (request) {
      case 'get': {
        const paths = Array.isArray(params) ? params.map(String) : [];
        result = answerGet(paths, this.data);
        this.onTraffic('in', `get ${paths.join(', ')}${describeErrors(result)}`);
        break;
      }
      case 'set':
        result = this.set(params);
        this.onTraffic('in', `set ${Object.keys(params ?? {}).join(', ')}${describeErrors(result)}`);
        break;
      case 'invoke':
        result = this.invoke(isObject(params) ? params : {});
        break;
      default:
        this.onTraffic('in', `unsupported call ${request}`);
        this.post({ id, error: { name: 'APIUnavailable', message: `"${request}" is not supported by the playground host` } });
        return;
    }
    this.post({ id, result });
  }

  private invoke(calls: Record<string, unknown>): ZafResult {
    const result: ZafResult = { errors: {} };
    for (const [name, args] of Object.entries(calls)) {
      const list: unknown[] = Array.isArray(args) ? args : [args];
      if (name === 'resize') {
        this.resize(list[0] ?? {});
      } else if (name === 'routeTo' && this.onRouteTo) {
        this.onTraffic('in', `invoke routeTo ${list.map(String).join(' ')}`);
        this.onRouteTo(list);
      } else if (name === 'popover' && this.onIconSymbol) {
        // The top-bar popover: it is always shown here, beside the ticket.
        this.onTraffic('in', `invoke popover ${list.map(String).join(' ')}`);
      } else if (name === 'notify') {
        const [message, kind = 'notice', options] = list;
        const durationMs = typeof options === 'number' ? options : isObject(options) && options.sticky ? null : 5000;
        this.onTraffic('in', `invoke notify (${String(kind)})`);
        this.onNotify(String(message ?? ''), String(kind), durationMs);
      } else {
        this.onTraffic('in', `invoke ${name}: not supported`);
        result.errors[name] = pathError(name);
      }
    }
    return result;
  }

  /** The top bar's icon symbol is the one property an app may set here; the ticket is read-only. */
  private set(params: unknown): ZafResult {
    const values = isObject(params) ? params : {};
    const symbol = values.iconSymbol;
    if (!this.onIconSymbol || typeof symbol !== 'string') return answerSet(params);
    this.onIconSymbol(symbol);
    const rest = Object.fromEntries(Object.entries(values).filter(([path]) => path !== 'iconSymbol'));
    return { ...answerSet(rest), iconSymbol: symbol };
  }

  private resize(size: unknown): void {
    const { width, height } = isObject(size) ? size : {};
    const h = cssLength(height);
    const w = cssLength(width);
    if (h) this.iframe.style.height = h;
    if (w) this.iframe.style.width = w;
    this.onTraffic('in', `invoke resize ${w ?? '-'} × ${h ?? '-'}`);
  }

  private async proxy(requestId: string, options: unknown): Promise<void> {
    const url = isObject(options) ? options.url : options;
    this.onTraffic('in', `request ${String((isObject(options) ? options.type : undefined) ?? 'GET')} ${String(url)}`);
    const { outcome, responseArgs } = await performZafRequest(options ?? {}, this.sendRequest);
    const xhr = outcome === 'done' ? responseArgs[2] : responseArgs[0];
    this.onTraffic('out', `request ${String(url)} → ${outcome} (${String(xhr.status)})`);
    this.post({ key: `zaf.request:${requestId}.${outcome}`, message: { responseArgs } });
  }

  // --- outbound ---------------------------------------------------------------------------------

  private post(message: HostMessage): void {
    const target = this.iframe.contentWindow;
    if (!target) return;
    if ('key' in message && !message.key.startsWith('zaf.request:')) this.onTraffic('out', message.key.replace(/^zaf\./, 'event '));
    // targetOrigin pinned to our own origin: the app is served from here, and nothing else may read it.
    target.postMessage(JSON.stringify(message), this.origin);
  }
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

function describeErrors(result: ZafResult): string {
  const failed = Object.keys(result.errors);
  return failed.length ? ` (unknown: ${failed.join(', ')})` : '';
}
