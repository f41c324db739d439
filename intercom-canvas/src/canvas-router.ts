// POST /intercom/canvas/initialize and /intercom/canvas/submit: Intercom's Inbox app requests.
// Signature first (401), then the body (400), then a canvas. Once a request is signed and well formed,
// every answer is a 200 canvas, failures included: the inbox shows a canvas better than a 5xx.
// Mount this router before any JSON body parser: the signature is checked over the raw bytes.
import express, { Router, type Request, type Response } from 'express';
import { toErrorIssues, type ErrorIssue } from '@countersign/shared';
import type { ZodType } from 'zod';
import type { CanvasBackend } from './canvas-backend';
import { notConnectedCanvas, errorCanvas } from './canvases/notice-canvases';
import { parseComponentId } from './canvases/component-ids';
import { readCanvasState } from './canvases/stored-data';
import { reviewerFrom } from './decisions/reviewer';
import { initializeCanvas, submitCanvas, type InboxRequest } from './inbox-flows';
import { InitializeResponse, SubmitResponse, type CanvasObject } from './schema/canvas';
import { InitializeRequest, SubmitRequest, conversationIdOf, localeOf, storedDataCandidates } from './schema/requests';
import { canvasWords, type CanvasWords } from './i18n/canvas-words';
import { BODY_SIGNATURE_HEADER, verifyCanvasSignature } from './signature';

export interface CanvasRouterOptions {
  /** The Intercom app's client secret; null → the endpoints answer 503 {error:{code:'intercom_not_configured',…}}. */
  clientSecret: () => string | null;
  backend: CanvasBackend;
  /** Shown on the "not connected" canvas; a function because the server learns its public URL after listening. */
  installUrl: string | (() => string);
  bodyLimitBytes?: number;
  /** Logging hook: backend failures and canvases that failed their own schema. */
  onError?: (error: unknown) => void;
}

export const INITIALIZE_PATH = '/intercom/canvas/initialize';
export const SUBMIT_PATH = '/intercom/canvas/submit';
const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

type Flow = 'initialize' | 'submit';

export function canvasRouter(options: CanvasRouterOptions): Router {
  const readRawBody = express.raw({ type: () => true, limit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES });
  const report = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // A failing logger must not turn a canvas into a 500.
    }
  };

  const handle = (flow: Flow) => async (req: Request, res: Response) => {
    try {
      await answer(flow, req, res);
    } catch (error) {
      report(error);
      if (!res.headersSent) sendError(res, 500, 'internal_error', 'The canvas request could not be handled.');
    }
  };

  async function answer(flow: Flow, req: Request, res: Response): Promise<void> {
    const secret = options.clientSecret();
    if (!secret) return sendError(res, 503, 'intercom_not_configured', 'Set INTERCOM_CLIENT_SECRET to answer Intercom canvas requests.');
    const raw = await rawBody(readRawBody, req, res);
    if (!raw.ok) return sendError(res, raw.status, raw.code, raw.message);
    if (!verifyCanvasSignature(secret, req.get(BODY_SIGNATURE_HEADER), raw.body)) {
      return sendError(res, 401, 'invalid_signature', 'X-Body-Signature is missing or does not match the body (hex HMAC-SHA256 of the body with the client secret).');
    }
    const json = parseJson(raw.body);
    if (json === undefined) return sendError(res, 400, 'invalid_json', 'The body is not valid JSON.');
    const canvas = flow === 'initialize' ? await initialize(json, res) : await submit(json, res);
    if (canvas) sendCanvas(res, flow, canvas);
  }

  async function initialize(json: unknown, res: Response): Promise<CanvasObject | null> {
    const request = validRequest(InitializeRequest, json, res);
    if (!request) return null;
    const conversationId = conversationIdOf(request);
    const words = canvasWords(localeOf(request));
    return canvasOrError({ conversationId }, words, async () => {
      const workspaceId = await options.backend.workspaceFor(request.workspace_id);
      if (!workspaceId) return notConnectedCanvas(installUrlOf(options), request.workspace_id, words);
      return initializeCanvas({ backend: options.backend, workspaceId, conversationId, reviewer: reviewerFrom(request.admin), words });
    });
  }

  async function submit(json: unknown, res: Response): Promise<CanvasObject | null> {
    const request = validRequest(SubmitRequest, json, res);
    if (!request) return null;
    // stored_data only fills in a conversation Intercom left out; it is never used to authorize.
    const conversationId = conversationIdOf(request) ?? readCanvasState(storedDataCandidates(request))?.conversationId ?? null;
    const command = parseComponentId(request.component_id);
    const approvalId = command && 'approvalId' in command ? command.approvalId : undefined;
    const words = canvasWords(localeOf(request));
    return canvasOrError({ approvalId, conversationId }, words, async () => {
      const workspaceId = await options.backend.workspaceFor(request.workspace_id);
      if (!workspaceId) return notConnectedCanvas(installUrlOf(options), request.workspace_id, words);
      const inbox: InboxRequest = { backend: options.backend, workspaceId, conversationId, reviewer: reviewerFrom(request.admin), words };
      return submitCanvas(inbox, request.component_id, request.input_values ?? {});
    });
  }

  /** A backend failure becomes the error canvas (with Try again) and a report. */
  async function canvasOrError(place: Parameters<typeof errorCanvas>[0], words: CanvasWords, build: () => Promise<CanvasObject>): Promise<CanvasObject> {
    try {
      return await build();
    } catch (error) {
      report(error);
      return errorCanvas(place, words);
    }
  }

  /**
   * No `event: {type: 'completed'}` is sent, even after a decision: Intercom documents it for apps
   * that have served their purpose, and a conversation can hold more requests; the decided canvas
   * keeps a Back button that must stay usable.
   */
  function sendCanvas(res: Response, flow: Flow, canvas: CanvasObject): void {
    const schema = flow === 'initialize' ? InitializeResponse : SubmitResponse;
    let body = { canvas };
    const checked = schema.safeParse(body);
    if (!checked.success) {
      // A builder bug must not reach Intercom as a canvas it refuses; say so in the logs instead.
      report(new Error(`canvas failed the Canvas Kit schema: ${checked.error.message}`));
      body = { canvas: errorCanvas() };
    }
    res.status(200).set('cache-control', 'no-store').json(body);
  }

  const router = Router();
  router.post(INITIALIZE_PATH, handle('initialize'));
  router.post(SUBMIT_PATH, handle('submit'));
  router.all([INITIALIZE_PATH, SUBMIT_PATH], (_req, res) => {
    res.set('allow', 'POST');
    sendError(res, 405, 'method_not_allowed', 'Intercom calls this endpoint with POST.');
  });
  return router;
}

function validRequest<T>(schema: ZodType<T>, json: unknown, res: Response): T | null {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  sendError(res, 400, 'invalid_request', 'The body is not a Canvas Kit request this app understands.', toErrorIssues(parsed.error.issues));
  return null;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

type RawBody = { ok: true; body: Buffer } | { ok: false; status: number; code: string; message: string };

/** The body bytes through express.raw, with its failures (too large, aborted, bad encoding) as answers. */
function rawBody(read: express.RequestHandler, req: Request, res: Response): Promise<RawBody> {
  return new Promise((resolve) => {
    read(req, res, (error?: unknown) => {
      if (!error) return resolve({ ok: true, body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) });
      const type = (error as { type?: unknown }).type;
      if (type === 'entity.too.large') return resolve({ ok: false, status: 413, code: 'payload_too_large', message: 'The body is larger than this endpoint accepts.' });
      resolve({ ok: false, status: 400, code: 'invalid_body', message: 'The body could not be read.' });
    });
  });
}

/** The server's error shape: {error:{code,message,issues}}. Never includes the secret or the body. */
function sendError(res: Response, status: number, code: string, message: string, issues: ErrorIssue[] = []): void {
  // The host server's request id (set as a header before routing), so errors read alike everywhere.
  const requestId = res.getHeader('x-request-id');
  const error = { code, message, issues, ...(typeof requestId === 'string' ? { requestId } : {}) };
  res.status(status).set('cache-control', 'no-store').json({ error });
}

function installUrlOf(options: CanvasRouterOptions): string {
  return typeof options.installUrl === 'function' ? options.installUrl() : options.installUrl;
}
