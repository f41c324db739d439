// /playground: a sample ticket hosting the real built Zendesk app through a ZAF host emulator (the page
// is built from ./browser into dist/page by `npm run build`), plus what the emulator needs from the
// server: the ZAF request proxy (the review key is substituted here, never sent to the browser), seed
// buttons, the automation's callback receiver, and a fake Zendesk that signs agents in (OAuth) and
// records the internal notes written back.
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '@countersign/server/approvals';
import { cacheableAsset, jsonBody, validate } from '@countersign/server/http';
import { PAGE_ASSETS_DIR, PAGE_DIR } from './built-page';
import { CALLBACK_CHANNELS, isCallbackChannel, receiverUrl, type CallbackInbox } from './callback-inbox';
import { intercomPlaygroundRoutes } from './intercom/intercom-playground-routes';
import type { PlaygroundSlack } from './slack/slack-playground';
import { slackPlaygroundRoutes } from './slack/slack-playground-routes';
import { SAMPLE_AGENT, SAMPLE_TICKET, SEED_NAMES, seedPayload, type SeedName } from './sample-ticket';
import type { TicketNotes } from './ticket-notes';
import { FakeZendeskOAuth, type FakeOAuthClient } from './zendesk/fake-zendesk-oauth';
import { sampleAgent } from './zendesk/sample-agents';

const APP_PACKAGE_DIR = fileURLToPath(new URL('../../zendesk-app/dist/app/', import.meta.url));
const REVIEW_KEY_PLACEHOLDER = '{{setting.review_key}}';
/** As Zendesk's proxy forwards the app's own headers: the agent's reviewer session among them. */
const FORWARDED_HEADERS = new Set(['authorization', 'content-type', 'accept', 'idempotency-key', 'prefer', 'x-countersign-reviewer']);
const BODY_LIMIT = 256 * 1024;

/** Filled in once the server listens (its own address is needed for callbacks and self-calls). */
export interface PlaygroundRuntime {
  selfUrl: string;
  intakeKey: string;
  reviewKey: string;
  /** Decides for whoever it names: "Sam, another agent" deciding elsewhere. */
  delegatingKey: string;
  /** The fake Zendesk's OAuth client, as the playground workspace stores it. */
  zendeskOAuthClient: FakeOAuthClient;
  callbackSecrets: () => Promise<string[]>;
  zendeskAuthorization: string;
  /** How long seed 001's request is held: its maxWaitMs within the server's COUNTERSIGN_MAX_WAIT_MS. */
  seedWaitMs: number;
  inbox: CallbackInbox;
  notes: TicketNotes;
  intercom: PlaygroundIntercom;
  /** The playground workspace's fake Slack workspace and channel. */
  slack: PlaygroundSlack;
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
  /** The sample conversation's state, kept here so a reload shows what the webhook buttons did. */
  conversation: { state: ConversationState };
}

export type ConversationState = 'open' | 'closed';

const ZafRequest = z.object({
  options: z.object({
    url: z.string().min(1).max(4000),
    type: z.enum(['GET', 'POST', 'get', 'post']).default('GET'),
    contentType: z.string().max(200).optional(),
    data: z.string().max(BODY_LIMIT).optional(),
    headers: z.record(z.string(), z.string().max(4000)).optional(),
  }).loose(),
});

const ReceiverQuery = z.object({ channel: z.enum(CALLBACK_CHANNELS).optional() });

/** The page's tag for a seed 001 run: the request it then looks for while the answer is held. */
const SeedInput = z.strictObject({ run: z.string().regex(/^[A-Za-z0-9-]{8,64}$/).optional() });

/** Beyond the hold itself, for Countersign to answer. */
const SEED_ANSWER_MARGIN_MS = 30_000;

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

  const pageBuilt = builtOnly(PAGE_DIR, 'page_not_built', 'The playground page is not built yet: run `npm run build`.');
  router.get('/playground', pageBuilt, (_req, res) => res.sendFile('index.html', { root: PAGE_DIR }));
  router.use('/playground/static', pageBuilt, cacheableAsset, express.static(PAGE_ASSETS_DIR, { index: false, fallthrough: true }));
  router.use('/playground/zendesk-app', builtOnly(APP_PACKAGE_DIR, 'app_not_built', 'The Zendesk app is not built yet: run `npm run build`.'), cacheableAsset, express.static(APP_PACKAGE_DIR, { index: false }));

  router.get('/playground/api/config', (_req, res) => {
    const rt = runtime();
    res.json({
      ticket: SAMPLE_TICKET,
      currentUser: SAMPLE_AGENT,
      account: { subdomain: 'playground' },
      appSettings: { review_key: '{{secure}}' },
      seeds: { cancellation: { maxWaitMs: rt?.seedWaitMs ?? null } },
    });
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

  // Seed 001 is held by the real intake until a reviewer decides or the wait ends, and this answer
  // with it: the page's fetch stays open just as the AI agent's call would.
  router.post('/playground/api/seeds/:seed', ...jsonBody({ limitBytes: 1024, optional: true }), async (req, res) => {
    const seed = req.params.seed as SeedName;
    if (!SEED_NAMES.includes(seed)) throw new AppError('not_found', 'unknown_seed', `Seeds are: ${SEED_NAMES.join(', ')}.`);
    const { run } = validate(SeedInput, req.body);
    const rt = ready();
    const body = JSON.stringify(seedPayload(seed, receiverUrl(rt.selfUrl, 'zendesk'), { maxWaitMs: rt.seedWaitMs, run }));
    // The page going away ends the held intake call too, so nothing waits for nobody.
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const answer = await forward(`${rt.selfUrl}/api/webhooks/inbound`, 'POST', { 'content-type': 'application/json', 'x-api-key': rt.intakeKey }, body, {
      timeoutMs: rt.seedWaitMs + SEED_ANSWER_MARGIN_MS,
      signal: gone.signal,
    });
    if (!gone.signal.aborted) sendForwarded(res, answer);
  });

  router.post('/playground/api/decide-elsewhere', ...jsonBody({ limitBytes: 16 * 1024 }), async (req, res) => {
    const { approvalId, decision, note } = validate(DecideElsewhere, req.body);
    const rt = ready();
    const body = JSON.stringify({ decision, note, reviewer: { id: 'sam', name: 'Sam (another agent)', via: 'api' } });
    const answer = await forward(`${rt.selfUrl}/api/approvals/${encodeURIComponent(approvalId)}/decision`, 'POST', { 'content-type': 'application/json', authorization: `Bearer ${rt.delegatingKey}` }, body);
    sendForwarded(res, answer);
  });

  router.get('/playground/api/receiver', (req, res) => {
    const { channel } = validate(ReceiverQuery, req.query, 'query');
    res.json({ deliveries: ready().inbox.list(channel) });
  });
  router.get('/playground/api/tickets/:ticketId/notes', (req, res) => res.json({ notes: ready().notes.list(String(req.params.ticketId)) }));

  // What each automation's receiver would be; callbacks reach them through the real outbox. The path
  // without a channel is the one earlier versions gave every request (Zendesk's, kept for those).
  router.post('/playground/receiver{/:channel}/callback', express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const channel = req.params.channel ?? 'zendesk';
    if (!isCallbackChannel(channel)) throw new AppError('not_found', 'unknown_receiver', `Receivers are: ${CALLBACK_CHANNELS.join(', ')}.`);
    const rt = ready();
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    rt.inbox.record(channel, { id: req.get('webhook-id'), timestamp: req.get('webhook-timestamp'), signature: req.get('webhook-signature') }, raw, await rt.callbackSecrets());
    res.status(204).end();
  });

  // The fake Zendesk's ticket update endpoint, checking the Basic credentials like Zendesk would.
  router.put('/playground/zendesk/api/v2/tickets/:file', ...jsonBody({ limitBytes: BODY_LIMIT }), (req, res) => {
    const rt = ready();
    if (!sameSecret(req.get('authorization') ?? '', rt.zendeskAuthorization)) throw new AppError('unauthorized', 'invalid_credentials', 'Couldn\'t authenticate you');
    const ticketId = /^(\d+)(\.json)?$/.exec(String(req.params.file))?.[1];
    const comment = (req.body as { ticket?: { comment?: { body?: unknown; public?: unknown; author_id?: unknown } } }).ticket?.comment;
    if (!ticketId || typeof comment?.body !== 'string') throw new AppError('bad_request', 'invalid_ticket_update', 'Expected {"ticket":{"comment":{"body":…}}}.');
    // Zendesk shows the note as that agent's when author_id names one; the API token's user otherwise.
    const author = typeof comment.author_id === 'number' ? sampleAgent(comment.author_id) : null;
    rt.notes.record(ticketId, { body: comment.body, public: comment.public !== false, author: author ? { id: String(author.id), name: author.name } : null });
    res.json({ ticket: { id: Number(ticketId) } });
  });

  router.use(new FakeZendeskOAuth(() => runtime()?.zendeskOAuthClient ?? null).routes());
  router.use(intercomPlaygroundRoutes(runtime));
  router.use(slackPlaygroundRoutes(runtime));
  return router;
}

/** A 404 that says what to run while `npm run build` has not made `dir` yet. */
function builtOnly(dir: string, code: string, message: string): RequestHandler {
  return (_req, _res, next) => {
    if (!existsSync(dir)) throw new AppError('not_found', code, message);
    next();
  };
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

async function forward(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Forwarded> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  try {
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const response = await fetch(url, { method, headers, body: method === 'GET' ? undefined : body, signal });
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
