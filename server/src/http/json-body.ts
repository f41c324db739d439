// Reads a JSON body ourselves: size limit, content type, charset and parse errors all become clear
// 4xx answers, the raw bytes stay available for signature checks, and "__proto__" keys are refused.
import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../approvals/errors';

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/i;

export interface JsonBodyOptions {
  limitBytes: number;
  /** An empty body is read as {} (e.g. cancel, whose body is optional). */
  optional?: boolean;
}

/** Reads the body and parses it as JSON into req.body. */
export function jsonBody(options: JsonBodyOptions): RequestHandler[] {
  return [rawBody(options.limitBytes), parseJson(options)];
}

/** Reads the body into req.body as a Buffer, for routes that check the raw bytes (platform signatures) before parsing. */
export function rawBody(limitBytes: number): RequestHandler {
  return express.raw({ type: () => true, limit: limitBytes });
}

/** The raw body read by rawBody(), parsed: content type and charset checked, strict JSON. */
export function readJson(raw: Buffer, contentType: string | undefined, options: Pick<JsonBodyOptions, 'optional'> = {}): unknown {
  if (raw.length === 0) {
    if (!options.optional) throw new AppError('bad_request', 'empty_body', 'The request body is empty; send a JSON object.');
    return {};
  }
  checkContentType(contentType);
  return parseStrictJson(raw.toString('utf8'));
}

/** The raw bytes of a request read by rawBody(). */
export function rawBytes(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

function parseJson(options: JsonBodyOptions): RequestHandler {
  return (req, _res, next) => {
    // The raw bytes are dropped once parsed: a held request (sync wait) must not keep them, or the
    // pooled slab a small Buffer lives in, alive for minutes.
    req.body = readJson(rawBytes(req), req.get('content-type'), options);
    next();
  };
}

function checkContentType(header: string | undefined): void {
  const [type = '', ...params] = (header ?? '').split(';').map((part) => part.trim());
  if (!JSON_TYPE.test(type)) {
    throw new AppError('unsupported_media_type', 'unsupported_media_type', `Send the body as application/json (got ${header ? `"${type.slice(0, 100)}"` : 'no Content-Type'}).`);
  }
  const charset = params.find((p) => p.toLowerCase().startsWith('charset='))?.slice(8).replace(/"/g, '').toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError('unsupported_media_type', 'unsupported_charset', 'JSON bodies must be UTF-8.');
  }
}

/** Deeper than any real body; checked before parsing because JSON.parse's reviver recurses. */
const MAX_BODY_NESTING = 64;

export function parseStrictJson(text: string): unknown {
  if (nestingDepth(text) > MAX_BODY_NESTING) {
    throw new AppError('bad_request', 'too_deeply_nested', `JSON bodies may nest at most ${MAX_BODY_NESTING} levels.`);
  }
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new ForbiddenKey();
      return value;
    });
  } catch (error) {
    if (error instanceof ForbiddenKey) throw new AppError('bad_request', 'forbidden_key', 'JSON objects may not contain a "__proto__" key.');
    throw new AppError('bad_request', 'invalid_json', `The body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}

class ForbiddenKey extends Error {}

/** Bracket depth of JSON text, skipping string contents; one pass, no recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}
