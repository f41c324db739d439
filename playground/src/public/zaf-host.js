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
import { answerGet, answerSet, pathError } from './zaf-paths.js';
import { performZafRequest } from './zaf-request.js';

// Zendesk delivers these whether or not the app subscribed; every other event only after iframe.on.
const LIFECYCLE_EVENTS = new Set(['app.registered', 'app.activated', 'app.deactivated']);

function parse(data) {
  if (typeof data !== 'string') return data && typeof data === 'object' ? data : null;
  try {
    const value = JSON.parse(data);
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

/** '450px' | 450 | '100%' → a CSS length, or null when the app sent nonsense. */
function cssLength(value) {
  if (typeof value === 'number' && Number.isFinite(value)) return `${Math.max(0, value)}px`;
  if (typeof value === 'string' && /^\d+(\.\d+)?(px|%|vh|em|rem)?$/.test(value.trim())) {
    const v = value.trim();
    return /\d$/.test(v) ? `${v}px` : v;
  }
  return null;
}

export class ZafHost {
  /**
   * @param {object} options
   * @param {HTMLIFrameElement} options.iframe the app's frame
   * @param {string} options.appGuid the app_guid put in the frame's URL
   * @param {object} options.metadata what client.metadata() resolves with (never secure settings)
   * @param {object} options.context what client.context() resolves with
   * @param {object} options.data the get tree: ticket, currentUser, currentAccount, colorScheme
   * @param {(options: object) => Promise<Response>} options.sendRequest POSTs {options} to the proxy
   * @param {(message: string, kind: string, durationMs: number | null) => void} options.onNotify
   * @param {(direction: 'in' | 'out' | 'note', text: string) => void} [options.onTraffic]
   */
  constructor({ iframe, appGuid, metadata, context, data, sendRequest, onNotify, onTraffic }) {
    this.iframe = iframe;
    this.appGuid = appGuid;
    this.metadata = metadata;
    this.context = context;
    this.data = { ...data, instances: { [appGuid]: context } };
    this.sendRequest = sendRequest;
    this.onNotify = onNotify;
    this.onTraffic = onTraffic ?? (() => {});
    this.origin = window.location.origin;
    /** event name → subscriber count the SDK last reported */
    this.subscriptions = new Map();
    this.registered = false;
    this.listener = (event) => this.receive(event);
  }

  start() {
    window.addEventListener('message', this.listener);
  }

  stop() {
    window.removeEventListener('message', this.listener);
  }

  isSubscribed(eventName) {
    return (this.subscriptions.get(eventName) ?? 0) > 0;
  }

  /** Sends an event to the app the way Zendesk does: only if the app listens (lifecycle events always). */
  trigger(eventName, message) {
    if (!this.registered) return false;
    if (!LIFECYCLE_EVENTS.has(eventName) && !this.isSubscribed(eventName)) {
      this.onTraffic('note', `${eventName} not sent: the app has no handler for it`);
      return false;
    }
    this.post({ key: `zaf.${eventName}`, message });
    return true;
  }

  setColorScheme(scheme) {
    this.data.colorScheme = scheme;
    return this.trigger('colorScheme.changed', scheme);
  }

  // --- inbound ----------------------------------------------------------------------------------

  receive(event) {
    // Only the app's own frame, served from this origin, may talk to the host.
    if (event.source !== this.iframe.contentWindow || event.origin !== this.origin) return;
    const msg = parse(event.data);
    if (!msg) return;
    if (msg.appGuid !== undefined && msg.appGuid !== this.appGuid) {
      this.onTraffic('note', `ignored a message for another app_guid (${String(msg.appGuid)})`);
      return;
    }
    if (typeof msg.request === 'string' && msg.id !== undefined) return this.answerCall(msg);
    if (typeof msg.key === 'string') return this.handleKey(msg.key, msg);
  }

  handleKey(key, msg) {
    if (key === 'iframe.handshake') return this.register(msg.message);
    const [kind, name = ''] = splitOnce(key, ':');
    switch (kind) {
      case 'iframe.on':
      case 'iframe.off': {
        const count = Number(msg.message?.subscriberCount) || 0;
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
        this.onTraffic('in', `reply to ${name}${msg.error ? ` (refused: ${String(msg.error.msg)})` : ''}`);
        return;
      case 'request':
        return this.proxy(name, msg.message);
      default:
        this.onTraffic('in', `message ${key}`);
    }
  }

  register(handshake) {
    // A new handshake is a new document in the frame (first load or reload): start over.
    this.subscriptions.clear();
    this.registered = true;
    this.onTraffic('in', `handshake (SDK ${String(handshake?.version ?? '?')})`);
    this.post({ key: 'zaf.app.registered', message: { metadata: this.metadata, context: this.context } });
    this.post({ key: 'zaf.app.activated', message: { firstLoad: true } });
  }

  answerCall({ id, request, params }) {
    let result;
    switch (request) {
      case 'get': {
        const paths = Array.isArray(params) ? params.map(String) : [];
        result = answerGet(paths, this.data);
        this.onTraffic('in', `get ${paths.join(', ')}${describeErrors(result)}`);
        break;
      }
      case 'set':
        result = answerSet(params);
        this.onTraffic('in', `set ${Object.keys(params ?? {}).join(', ')}${describeErrors(result)}`);
        break;
      case 'invoke':
        result = this.invoke(params && typeof params === 'object' ? params : {});
        break;
      default:
        this.onTraffic('in', `unsupported call ${request}`);
        this.post({ id, error: { name: 'APIUnavailable', message: `"${request}" is not supported by the playground host` } });
        return;
    }
    this.post({ id, result });
  }

  invoke(calls) {
    const result = { errors: {} };
    for (const [name, args] of Object.entries(calls)) {
      const list = Array.isArray(args) ? args : [args];
      if (name === 'resize') {
        this.resize(list[0] ?? {});
      } else if (name === 'notify') {
        const [message, kind = 'notice', options] = list;
        const durationMs = typeof options === 'number' ? options : options && typeof options === 'object' && options.sticky ? null : 5000;
        this.onTraffic('in', `invoke notify (${String(kind)})`);
        this.onNotify(String(message ?? ''), String(kind), durationMs);
      } else {
        this.onTraffic('in', `invoke ${name}: not supported`);
        result.errors[name] = pathError(name);
      }
    }
    return result;
  }

  resize({ width, height }) {
    const h = cssLength(height);
    const w = cssLength(width);
    if (h) this.iframe.style.height = h;
    if (w) this.iframe.style.width = w;
    this.onTraffic('in', `invoke resize ${w ?? '-'} × ${h ?? '-'}`);
  }

  async proxy(requestId, options) {
    const url = options && typeof options === 'object' ? options.url : options;
    this.onTraffic('in', `request ${String(options?.type ?? 'GET')} ${String(url)}`);
    const { outcome, responseArgs } = await performZafRequest(options ?? {}, this.sendRequest);
    this.onTraffic('out', `request ${String(url)} → ${outcome} (${String(responseArgs[outcome === 'done' ? 2 : 0]?.status)})`);
    this.post({ key: `zaf.request:${requestId}.${outcome}`, message: { responseArgs } });
  }

  // --- outbound ---------------------------------------------------------------------------------

  post(message) {
    const target = this.iframe.contentWindow;
    if (!target) return;
    if (message.key && !message.key.startsWith('zaf.request:')) this.onTraffic('out', message.key.replace(/^zaf\./, 'event '));
    // targetOrigin pinned to our own origin: the app is served from here, and nothing else may read it.
    target.postMessage(JSON.stringify(message), this.origin);
  }
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

function describeErrors(result) {
  const failed = Object.keys(result.errors);
  return failed.length ? ` (unknown: ${failed.join(', ')})` : '';
}
