// Field schemas reused across the API's bodies.
import { z } from 'zod';
import type { ErrorIssue } from './errors';
import { isJsonObject, jsonDepth, MAX_JSON_DEPTH, unrepresentableNumberPaths, type JsonObject } from './json';

/** The issue code (and API error code) of a number JSON cannot carry exactly; see isRepresentableNumber. */
export const UNREPRESENTABLE_NUMBER = 'unrepresentable_number';
/** Enough to fix a payload by; a body full of them must not earn a megabyte-long answer. */
export const MAX_NUMBER_ISSUES = 100;
export const UNREPRESENTABLE_NUMBER_MESSAGE =
  'this number cannot be carried exactly by JSON (it is not finite, or an integer beyond ±9007199254740991); send it as a string';

/** The issues for every number in `value` that JSON cannot carry, with paths under `field`. */
export function unrepresentableNumberIssues(field: string, value: unknown): ErrorIssue[] {
  return unrepresentableNumberPaths(value, MAX_NUMBER_ISSUES).map((path) => ({ code: UNREPRESENTABLE_NUMBER, path: [field, ...path], message: UNREPRESENTABLE_NUMBER_MESSAGE }));
}

/**
 * A JSON object supplied by a caller (details, metadata, modifiedDetails). Checked as it is, never
 * rebuilt (a rebuilt object could gain a prototype from a "__proto__" key); an `unknown` with checks
 * rather than z.custom so that JSON Schema (the OpenAPI document, MCP tool schemas) can say "object".
 */
export function jsonObject(label: string) {
  return (z.unknown().refine((value) => isJsonObject(value), { error: `${label} must be a JSON object` }) as unknown as z.ZodType<JsonObject, JsonObject>)
    .refine((value) => jsonDepth(value, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH, {
      error: `${label} is nested deeper than ${MAX_JSON_DEPTH} levels`,
    })
    .superRefine((value, ctx) => {
      for (const path of unrepresentableNumberPaths(value, MAX_NUMBER_ISSUES)) {
        ctx.addIssue({ code: 'custom', path, params: { code: UNREPRESENTABLE_NUMBER }, message: UNREPRESENTABLE_NUMBER_MESSAGE });
      }
    })
    .meta({ type: 'object', description: `${label}: any JSON object, nested at most ${MAX_JSON_DEPTH} levels` });
}

/** Platform ids arrive as strings from Zendesk placeholders and as numbers from APIs; both mean the same id. */
export const platformId = z
  .union([z.string().trim().min(1).max(128), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)])
  .transform((value) => String(value));

/** Enum words compared case-insensitively (Zendesk admins type "High", other tools send "CRITICAL"). */
export function caseInsensitiveEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.enum(values));
}

export const MAX_CALLBACK_URL_LENGTH = 2048;

/** Why a callback URL is unusable on its face (before any address check), or null when it is fine. */
export function callbackUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  // Credentials in a URL end up in logs and proxies; receivers should check the webhook-signature header instead.
  if (url.username || url.password) return 'must not contain credentials';
  return null;
}

export const callbackUrl = z
  .string()
  .trim()
  .max(MAX_CALLBACK_URL_LENGTH)
  .superRefine((value, ctx) => {
    const problem = callbackUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `callback URL ${problem}` });
  });

export const isoTimestamp = z.iso.datetime({ offset: true });
