// /playground: a sample ticket hosting the real built Zendesk app through a ZAF host emulator (the page's
// scripts live in ./public), plus what the emulator needs from the server: the ZAF request proxy (the
// review key is substituted here, never sent to the browser), seed buttons, the automation's callback
// receiver, and a fake Zendesk that records the internal notes written back.
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors';
import { cacheableAsset } from '../http/cache-policy';
import { jsonBody } from '../http/json-body';
import { validate } from '../http/validate';
import type { CallbackInbox } from './callback-inbox';
import { intercomPlaygroundRoutes } from './intercom/intercom-playground-routes';
import { SAMPLE_AGENT, SAMPLE_TICKET, SEED_NAMES, seedPayload, type SeedName } from './sample-ticket';
import type { TicketNotes } from './ticket-notes';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const APP_PACKAGE_DIR = fileURLToPath(new URL('../../../zendesk-app/dist/app/', import.meta.url));
const REVIEW_KEY_PLACEHOLDER = '{{setting.review_key}}';
const FORWARDED_HEADERS = new Set(['authorization', 'content-type', 'accept', 'idempotency-key', 'prefer']);
const BODY_LIMIT = 256 * 1024;

/** Filled in once the server listens (its own address is needed for callbacks and self-calls). */
export interface PlaygroundRuntime {
  selfUrl: string;
  intakeKey: string;
  reviewKey: string;
  callbackSecrets: () => Promise<string[]>;
  zendeskAuthorization: string;
  inbox: CallbackInbox;
  notes: TicketNotes;
  intercom: PlaygroundIntercom;
}

/** The playground workspace's Intercom side: an emulated Intercom app and a fake Intercom REST API. */
export interface PlaygroundIntercom {
  /** Signs the emulated canvas requests and webhooks (INTERCOM_CLIENT_SECRET when set, else generated). */
  clientSecret: string;
  intercomWorkspaceId: string;
  /** What Countersign presents to the fake Intercom REST API. */
  accessToken: string;
  gatedTopic: string;
  /** Notes the fake Intercom received, by conversation id. */
  notes: TicketNotes;
  appId: string | null;
}

const ZafRequest = z.object({
  options: z.object({
    url: z.string().min(1).max(4000),
    type: z.enum(['GET', 'POST', 'get', 'post']).default('GET'),
    contentType: z.string().max(200).optional(),
    data: z.string().max(BODY_LIMIT).optional(),
    headers: z.record(z.string(), z.string().max(4000)).optional(),
  }).loose(),
});

const DecideElsewhere = z.strictObject({
  approvalId: z.string().min(1).max(100),
  decision: z.enum(['approve', 'reject']),
  note: z.string().max(2000).optional(),
});

export function playgroundRoutes(runtime: () => PlaygroundRuntime | null): Router {
  const router = Router();
  const ready = (): PlaygroundRuntime => {
    const current = runtime();
    if (!current) throw new AppError('unavailable', 'playground_starting', 'The playground is still starting; try again in a moment.');
    return current;
  };

  router.get('/playground', (_req, res) => res.sendFile('index.html', { root: PUBLIC_DIR }));
  router.use('/playground/static', cacheableAsset, express.static(PUBLIC_DIR, { index: false, fallthrough: true }));
  router.use('/playground/zendesk-app', (req, res, next) => {
    if (!existsSync(APP_PACKAGE_DIR)) throw new AppError('not_found', 'app_not_built', 'The Zendesk app is not built yet: run `npm run build`.');
    next();
  }, cacheableAsset, express.static(APP_PACKAGE_DIR, { index: false }));

  router.get('/playground/api/config', (_req, res) => {
    res.json({ ticket: SAMPLE_TICKET, currentUser: SAMPLE_AGENT, account: { subdomain: 'playground' }, appSettings: { review_key: '{{secure}}' } });
  });

  router.post('/playground/api/zaf-request', ...jsonBody({ limitBytes: BODY_LIMIT * 2 }), async (req, res) => {
    const { options } = validate(ZafRequest, req.body);
    const rt = ready();
    const target = proxiedPath(options.url, rt.selfUrl);
    const substitute = (text: string) => text.split(REVIEW_KEY_PLACEHOLDER).join(rt.reviewKey);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) if (FORWARDED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = substitute(value);
    if (options.data !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    res.json(await forward(rt.selfUrl + target, options.type.toUpperCase(), headers, options.data));
  });

  router.post('/playground/api/seeds/:seed', async (req, res) => {
    const seed = req.params.seed as SeedName;
    if (!SEED_NAMES.includes(seed)) throw new AppError('not_found', 'unknown_seed', `Seeds are: ${SEED_NAMES.join(', ')}.`);
    const rt = ready();
    const body = JSON.stringify(seedPayload(seed, `${rt.selfUrl}/playground/receiver/callback`));
    const answer = await forward(`${rt.selfUrl}/api/webhooks/inbound`, 'POST', { 'content-type': 'application/json', 'x-api-key': rt.intakeKey }, body);
    sendForwarded(res, answer);
  });

  router.post('/playground/api/decide-elsewhere', ...jsonBody({ limitBytes: 16 * 1024 }), async (req, res) => {
    const { approvalId, decision, note } = validate(DecideElsewhere, req.body);
    const rt = ready();
    const body = JSON.stringify({ decision, note, reviewer: { id: 'sam', name: 'Sam (another agent)', via: 'api' } });
    const answer = await forward(`${rt.selfUrl}/api/approvals/${encodeURIComponent(approvalId)}/decision`, 'POST', { 'content-type': 'application/json', authorization: `Bearer ${rt.reviewKey}` }, body);
    sendForwarded(res, answer);
  });

  router.get('/playground/api/receiver', (_req, res) => res.json({ deliveries: ready().inbox.list() }));
  router.get('/playground/api/tickets/:ticketId/notes', (req, res) => res.json({ notes: ready().notes.list(String(req.params.ticketId)) }));

  // What an automation's receiver would be; callbacks reach it through the real outbox.
  router.post('/playground/receiver/callback', express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const rt = ready();
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    rt.inbox.record({ id: req.get('webhook-id'), timestamp: req.get('webhook-timestamp'), signature: req.get('webhook-signature') }, raw, await rt.callbackSecrets());
    res.status(204).end();
  });

  // The fake Zendesk's ticket update endpoint, checking the Basic credentials like Zendesk would.
  router.put('/playground/zendesk/api/v2/tickets/:file', ...jsonBody({ limitBytes: BODY_LIMIT }), (req, res) => {
    const rt = ready();
    if (!sameSecret(req.get('authorization') ?? '', rt.zendeskAuthorization)) throw new AppError('unauthorized', 'invalid_credentials', 'Couldn\'t authenticate you');
    const ticketId = /^(\d+)(\.json)?$/.exec(String(req.params.file))?.[1];
    const comment = (req.body as { ticket?: { comment?: { body?: unknown; public?: unknown } } }).ticket?.comment;
    if (!ticketId || typeof comment?.body !== 'string') throw new AppError('bad_request', 'invalid_ticket_update', 'Expected {"ticket":{"comment":{"body":…}}}.');
    rt.notes.record(ticketId, { body: comment.body, public: comment.public !== false });
    res.json({ ticket: { id: Number(ticketId) } });
  });

  router.use(intercomPlaygroundRoutes(runtime));
  return router;
}

/** Only this server's own API may be reached through the proxy, whatever origin the app's URL names. */
function proxiedPath(rawUrl: string, selfUrl: string): string {
  let url: URL;
  try {
    url = new URL(rawUrl, selfUrl);
  } catch {
    throw new AppError('bad_request', 'invalid_url', 'options.url is not a URL.');
  }
  if (!url.pathname.startsWith('/api/')) throw new AppError('bad_request', 'not_proxyable', 'The playground proxy only forwards to this server\'s /api/ paths.');
  return url.pathname + url.search;
}

interface Forwarded {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  responseText: string;
}

async function forward(url: string, method: string, headers: Record<string, string>, body: string | undefined): Promise<Forwarded> {
  try {
    const response = await fetch(url, { method, headers, body: method === 'GET' ? undefined : body, signal: AbortSignal.timeout(60_000) });
    return { status: response.status, statusText: response.statusText, headers: { 'content-type': response.headers.get('content-type') ?? '' }, responseText: await response.text() };
  } catch {
    return { status: 0, statusText: 'error', headers: {}, responseText: '' };
  }
}

function sendForwarded(res: Response, answer: Forwarded): void {
  let body: unknown = answer.responseText;
  try {
    body = JSON.parse(answer.responseText);
  } catch {
    // not JSON: shown as text
  }
  res.json({ status: answer.status, body });
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
