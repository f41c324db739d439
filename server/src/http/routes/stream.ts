// GET /api/approvals/stream: Server-Sent Events of the workspace's approvals as they change
// (stream/approval-feed.ts), each with whether this caller may decide it. Reviewers authenticate with
// a review key (plus X-Countersign-Reviewer for the Zendesk app's key), or, from a browser
// EventSource that cannot send headers, with the agent's reviewer session in `?session=`.
// Written by hand rather than with an SSE package: the format is four line types, and the parts
// that matter here (resume from the store, backpressure, shutdown) are ours either way.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { StreamQuery } from '@countersign/shared';
import { AppError } from '../../approvals/errors';
import type { ReviewerPrincipal } from '../../approvals/reviewer-identity';
import type { StreamItem } from '../../stream/approval-feed';
import { approvalView } from '../approval-view';
import { presentedKey, requireKey } from '../auth';
import type { HttpDeps } from '../deps';
import { methodNotAllowed } from '../error-handler';
import { caller } from '../locals';
import { accessFor, reviewerPrincipal } from '../reviewer-principal';
import { validate } from '../validate';

/** A stream whose client reads slower than this many bytes behind is closed; it resumes with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** How soon a browser reconnects after the stream drops. */
const RETRY_MS = 2000;
/**
 * The Zendesk app's iframe origin. Zendesk serves app assets from *.apps.zdusercontent.com and the
 * agent interface from {subdomain}.zendesk.com; which of the two an app iframe's EventSource carries
 * is not documented (unknown in the reference notes), so both are allowed, and nothing else by default.
 */
const ZENDESK_ORIGIN = /^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*\.(apps\.zdusercontent\.com|zendesk\.com)$/;

interface StreamCaller {
  workspaceId: string;
  principal: ReviewerPrincipal;
}

export function streamRoutes(deps: HttpDeps): Router {
  const router = Router();
  const heartbeat = new Heartbeat(deps.config.streamHeartbeatMs);
  router
    .route('/api/approvals/stream')
    .get(sessionOrReviewKey(deps), async (req, res) => {
      const query = validate(StreamQuery, req.query, 'query');
      const afterSeq = resumePoint(req.get('last-event-id') ?? query.lastEventId);
      allowOrigin(req, res, deps.config.streamOrigins);
      const who = streamCaller(req, res, deps);
      const access = accessFor(who.principal);
      const wanted = (item: StreamItem) => {
        const context = item.approval.context;
        if (query.ticketId && !(context?.platform === 'zendesk' && context.ticketId === query.ticketId)) return false;
        if (query.conversationId && !(context?.platform === 'intercom' && context.conversationId === query.conversationId)) return false;
        return true;
      };
      // Until the catch-up is read the answer may still be an error; events wait for the headers.
      let early: string[] | null = [];
      const write = (chunk: string) => {
        if (early) return void early.push(chunk);
        if (!res.write(chunk) && res.writableLength > MAX_BUFFERED_BYTES) res.end();
      };
      const send = (item: StreamItem) => {
        if (wanted(item)) write(eventText(item, { ...approvalView(item.approval), ...access(item.approval) }));
      };
      const subscription = await deps.feed.subscribe(who.workspaceId, afterSeq, send, () => res.end());
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        // A stream is the connection's last response: when it ends (shutdown, a slow reader) the
        // socket goes with it instead of idling on, and the client reconnects on a fresh one.
        connection: 'close',
        // Proxies such as nginx would otherwise hold events back in their buffers.
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${RETRY_MS}\n\n${early.join('')}`);
      early = null;
      heartbeat.add(res);
      res.on('close', () => {
        subscription.close();
        heartbeat.delete(res);
      });
    })
    .all(methodNotAllowed(['GET']));
  return router;
}

function eventText(item: StreamItem, data: unknown): string {
  // JSON has no raw newlines, so the view is one data line.
  return `id: ${item.seq}\nevent: ${item.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function resumePoint(lastEventId: string | undefined): number | null {
  if (lastEventId === undefined || lastEventId.trim() === '') return null;
  if (!/^\d{1,15}$/.test(lastEventId.trim())) {
    throw new AppError('bad_request', 'invalid_request', 'Last-Event-ID must be the id of an event this stream sent (digits).', {
      issues: [{ code: 'invalid_format', path: ['lastEventId'], message: 'a stream event id: digits' }],
    });
  }
  return Number(lastEventId.trim());
}

/** A reviewer session alone (EventSource), else a review key as on every reviewer route. */
function sessionOrReviewKey(deps: HttpDeps): RequestHandler {
  const reviewKey = requireKey(deps.store, 'review');
  return async (req, res, next) => {
    const session = typeof req.query.session === 'string' ? req.query.session : undefined;
    if (session === undefined || presentedKey(req)) return reviewKey(req, res, next);
    const opened = deps.reviewerSessions.open(session);
    const workspace = opened ? await deps.store.workspaces.get(opened.workspaceId) : null;
    if (!opened || !workspace) throw new AppError('unauthorized', 'invalid_credentials', 'The reviewer session is not valid or has expired; confirm who you are again.');
    res.locals.streamCaller = { workspaceId: workspace.id, principal: { kind: 'app', keyId: '', agent: opened.agent } } satisfies StreamCaller;
    next();
  };
}

function streamCaller(req: Request, res: Response, deps: HttpDeps): StreamCaller {
  const bySession = res.locals.streamCaller as StreamCaller | undefined;
  if (bySession) return bySession;
  const { key, workspace } = caller(res);
  return { workspaceId: workspace.id, principal: reviewerPrincipal(key, req, deps.reviewerSessions) };
}

/** Browsers may open the stream from the server's own pages, Zendesk's app frames and configured origins. */
function allowOrigin(req: Request, res: Response, configured: string[]): void {
  const origin = req.get('origin');
  if (!origin) return;
  const own = `${req.protocol}://${req.get('host')}`;
  if (origin !== own && !configured.includes(origin) && !ZENDESK_ORIGIN.test(origin)) {
    throw new AppError('forbidden', 'origin_not_allowed', `Streams cannot be opened from ${origin}; add it to COUNTERSIGN_STREAM_ORIGINS if it is yours.`);
  }
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
}

/** One timer for every open stream: a comment line keeps idle connections open through proxies. */
class Heartbeat {
  private readonly open = new Set<Response>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly everyMs: number) {}

  add(res: Response): void {
    this.open.add(res);
    this.timer ??= setInterval(() => {
      for (const stream of this.open) stream.write(': heartbeat\n\n');
    }, this.everyMs).unref();
  }

  delete(res: Response): void {
    this.open.delete(res);
    if (this.open.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
