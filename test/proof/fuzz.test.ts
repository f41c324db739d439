// Evidence: property-based fuzzing of every HTTP endpoint of a real server (loopback, real SQLite file).
//
// Properties, for every generated request: never a 5xx; every non-2xx answer of a JSON endpoint has
// the error shape {"error":{"code","message","issues"?}}; the process never crashes (no unhandled
// errors, the server keeps answering); requests without a valid key or signature never succeed; and
// after the run, a set of approvals created beforehand (pending and decided) and their audit trails
// are byte-for-byte what they were, no global prototype was polluted, and the server still works.
// The default workspace writes Zendesk ticket notes (to a fake Zendesk), so decisions go through the
// change summary too; every Object.prototype member name is a key in details, metadata and
// modifiedDetails, and a dedicated block approves fresh requests with such keys and checks the notes.
//
// Size of the run: DEFAULT_RUNS cases per endpoint (about 30–40 s on a slow 2-core machine).
//   FUZZ_RUNS=2000 npx vitest run --project proof test/proof/fuzz.test.ts   → 2000 cases per endpoint
//   FUZZ_RUNS=x10  npx vitest run --project proof test/proof/fuzz.test.ts   → 10 × the defaults
//   FUZZ_SEED=123  …                                                        → replay a run (the seed is printed)
// fast-check prints the seed and path of a failing case; FUZZ_SEED plus that output reproduces it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signCanvasBody } from '@countersign/intercom-canvas';
import { approvalLink } from '@countersign/server/http';
import { blockActionsPayload, viewSubmissionPayload } from '@countersign/playground';
import { IntercomSettings } from '@countersign/server/integrations/intercom';
import { slackInstallLink, slackInstallTokens, slackSignature } from '@countersign/server/integrations/slack';
import { hubSignature } from '@countersign/server/integrations/intercom';
import { zendeskSignature } from '@countersign/server/integrations/zendesk';
import { newId } from '@countersign/server/approvals';
import { loadSecretKey } from '@countersign/server/secrets';
import { SignedTokens } from '@countersign/server/secrets';
import { ZendeskSettings } from '@countersign/server/integrations/zendesk';
import type { ApprovalRecord, AuditEventRecord } from '@countersign/server/approvals';
import { FakeIntercom } from '../support/fake-intercom';
import { ANA, actor, FakeSlack, SLACK_CHANNEL, slackWorkspace } from '../support/fake-slack';
import { INTERCOM_SECRET, notification } from '../support/intercom-notifications';
import { seed001Sample } from '../support/seeds';
import { withReceiver, withServerAndReceiver } from '../support/server-and-receiver';
import { call, INTAKE_KEY, REVIEW_KEY, reviewer } from '../support/test-server';
import { ZENDESK_SIGNING_SECRET, zendeskWorkspace } from '../support/zendesk-workspace';
import { ErrorShape, isJsonResponse, send, type RawOutcome, type RawRequest } from './support/raw-http';
import { FUZZ_SEED, fuzzRuns } from './support/fuzz-runs';

// ---------------------------------------------------------------------------------------------------
// Run size and seed

const DEFAULT_RUNS = 400;
const runs = (base = DEFAULT_RUNS) => fuzzRuns(base);
const SEED = FUZZ_SEED;

// ---------------------------------------------------------------------------------------------------
// Values

const BODY_LIMIT = 256 * 1024;
const IC_WORKSPACE = 'ic_fuzz';
const GATED = 'conversation.operator.replied';
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
/** Every Object.prototype member name ("constructor", "toString", "__proto__", …): code that reads keys without an own-property check finds a function there. */
const OBJECT_MEMBERS = Object.getOwnPropertyNames(Object.prototype);
const POLLUTION_PROPS = ['polluted', 'isAdmin', 'fuzzPolluted'] as const;
const ODD_CHARS = [
  '\ud800', '\udbff', '\udc00', '\udfff', // lone surrogates
  '\u0000', '\u0001', '\u001f', '\u007f', // NUL and controls
  '\u202e', '\u200f', '\u2066', '\u061c', // RTL override, RLM, isolates, Arabic mark
  '\ufeff', '\uffff', '\ufffd', '\u2028', '\u2029', '\u0085', '\u00a0',
  '𝕏', '👩‍👩‍👧', 'e\u0301', 'ß', 'İ', '\\', '"', "'", '<script>', '{{ticket.id}}', '%00', '${x}', '../', '\r\n',
];

/** Own, enumerable properties, so "__proto__" is a real key that JSON.stringify writes out. */
function objectOf(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const unicodeString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...ODD_CHARS), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 12_000 }).chain((n) => fc.constantFrom('x', 'é', '\u202e', '\u0000').map((c) => c.repeat(n))) },
);

const keyName = (known: readonly string[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...POLLUTION_KEYS, ...OBJECT_MEMBERS, ...POLLUTION_PROPS) }, { weight: 3, arbitrary: unicodeString }, { weight: 2, arbitrary: known.length ? fc.constantFrom(...known) : fc.constant('a') });

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, -0, 1.5, 1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 25_001, 600_000),
  unicodeString,
);

const pollutionPayload = fc.constantFrom(...POLLUTION_PROPS).map((prop) =>
  objectOf([
    ['__proto__', objectOf([[prop, 'yes']])],
    ['constructor', objectOf([['prototype', objectOf([[prop, 'yes']])]])],
    ['prototype', objectOf([[prop, 'yes']])],
  ]),
);

function anyValue(known: readonly string[]) {
  return fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      { weight: 6, arbitrary: scalar },
      { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
      { weight: 2, arbitrary: tie('object') },
      { weight: 1, arbitrary: pollutionPayload },
    ),
    object: fc.array(fc.tuple(keyName(known), tie('value')), { maxLength: 4 }).map(objectOf),
  })).value;
}

// Mutations of a valid body: wrong types for any field, deleted fields, extra (pollution) keys at any level.
type Path = Array<string | number>;
type Op = { kind: 'set'; path: Path; value: unknown } | { kind: 'delete'; path: Path } | { kind: 'add'; path: Path; key: string; value: unknown };

function pathsOf(value: unknown, prefix: Path = []): { all: Path[]; containers: Path[] } {
  const all: Path[] = [];
  const containers: Path[] = [];
  if (value !== null && typeof value === 'object') {
    if (!Array.isArray(value)) containers.push(prefix);
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(key) : key];
      all.push(path);
      const nested = pathsOf(child, path);
      all.push(...nested.all);
      containers.push(...nested.containers);
    }
  }
  return { all, containers };
}

function applyOps(base: unknown, ops: Op[]): unknown {
  const root = structuredClone(base);
  const at = (path: Path): any => path.reduce<any>((node, key) => (node !== null && typeof node === 'object' ? node[key] : undefined), root);
  for (const op of ops) {
    if (op.kind === 'add') {
      const parent = at(op.path);
      if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) Object.defineProperty(parent, op.key, { value: op.value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    if (op.path.length === 0) continue;
    const parent = at(op.path.slice(0, -1));
    const key = op.path[op.path.length - 1]!;
    if (parent === null || typeof parent !== 'object') continue;
    if (op.kind === 'delete') delete parent[key];
    else Object.defineProperty(parent, key, { value: op.value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

function mutated(base: Record<string, unknown>, maxOps = 3) {
  const { all, containers } = pathsOf(base);
  const known = all.map((p) => String(p[p.length - 1]));
  const value = anyValue(known);
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...all), value }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...all) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), path: fc.constantFrom(...containers), key: keyName(known), value }) },
  );
  return fc.array(op, { maxLength: maxOps }).map((ops) => applyOps(base, ops));
}

// Raw text transformations: truncation, duplicate keys, a literal "__proto__", garbage around it.
const textTransform = (topKeys: readonly string[]) =>
  fc.oneof(
    { weight: 14, arbitrary: fc.constant((t: string) => t) },
    { weight: 2, arbitrary: fc.nat().map((n) => (t: string) => t.slice(0, n % Math.max(1, t.length))) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...topKeys, '__proto__'), anyValue(topKeys), fc.boolean()).map(([key, value, front]) => (t: string) => {
        if (!t.startsWith('{') || !t.endsWith('}')) return t;
        const member = `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`;
        const empty = t === '{}';
        return front ? `{${member}${empty ? '' : ','}${t.slice(1)}` : `${t.slice(0, -1)}${empty ? '' : ','}${member}}`;
      }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...POLLUTION_KEYS), fc.constantFrom(...POLLUTION_PROPS)).map(([n, key, prop]) => (t: string) => {
        const opens = [...t.matchAll(/\{(?=")/g)].map((m) => m.index!);
        if (opens.length === 0) return t;
        const at = opens[n % opens.length]! + 1;
        const inner = key === 'constructor' ? `{"prototype":{"${prop}":"yes"}}` : `{"${prop}":"yes"}`;
        return `${t.slice(0, at)}"${key}":${inner},${t.slice(at)}`;
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom('x', ',', '}', '\u0000', '\n{}', ']', '"').map((junk) => (t: string) => t + junk) },
    { weight: 1, arbitrary: fc.constantFrom('\ufeff', ' \n\t', '\u0000', '[').map((junk) => (t: string) => junk + t) },
  );

const INVALID_UTF8 = [[0xff], [0xfe], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xe2, 0x82], [0xf0, 0x9f]];
const byteTransform = fc.oneof(
  { weight: 12, arbitrary: fc.constant((b: Buffer) => b) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...INVALID_UTF8)).map(([n, bad]) => (b: Buffer) => { const at = n % (b.length + 1); return Buffer.concat([b.subarray(0, at), Buffer.from(bad), b.subarray(at)]); }) },
);

function nested(depth: number, kind: 'array' | 'object' | 'mixed'): string {
  if (kind === 'array') return '['.repeat(depth) + '1' + ']'.repeat(depth);
  if (kind === 'object') return '{"d":'.repeat(depth) + '1' + '}'.repeat(depth);
  return '[{"d":'.repeat(Math.ceil(depth / 2)) + '1' + '}]'.repeat(Math.ceil(depth / 2));
}

const standaloneBodies = fc.oneof(
  fc.constantFrom('', ' ', '\n', 'null', 'true', '0', '-0', '1e999', '"text"', '[]', '{}', '[1,2]', '{"a":1,"a":2}', 'a=1&b=2', '<xml/>', '{"__proto__":{"polluted":"yes"}}', '{"constructor":{"prototype":{"polluted":"yes"}}}', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}').map((t) => Buffer.from(t)),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.constant(Buffer.from('--x\r\nContent-Disposition: form-data; name="action"\r\n\r\nrefund\r\n--x--\r\n')),
);

/** A body: mostly a mutated valid one (so validation gets deep), plus raw oddities, deep nesting and sizes at the limit. */
function bodyFor(base: Record<string, unknown>, nestInto: string | null = null) {
  const topKeys = Object.keys(base);
  const fromBase = fc.tuple(mutated(base), textTransform(topKeys), byteTransform).map(([value, text, bytes]) => bytes(Buffer.from(text(JSON.stringify(value) ?? 'null'))));
  const deep = fc.tuple(fc.oneof(fc.integer({ min: 1, max: 80 }), fc.constantFrom(31, 32, 33, 63, 64, 65, 1_000, 10_000, 40_000, 60_000)), fc.constantFrom('array' as const, 'object' as const, 'mixed' as const)).map(([depth, kind]) => {
    const inner = nested(depth, kind);
    if (!nestInto) return Buffer.from(inner);
    return Buffer.from(JSON.stringify(base).replace(/\}$/, `,${JSON.stringify(nestInto)}:${inner}}`).replace(`"${nestInto}":`, '"__nested_original":'));
  });
  // Around the body limit: a valid body padded to just under, at, or a bit over it.
  const sized = fc.integer({ min: -2048, max: 16 * 1024 }).map((delta) => {
    const head = JSON.stringify({ ...base, padding: '' });
    const pad = Math.max(0, BODY_LIMIT + delta - Buffer.byteLength(head));
    return Buffer.from(head.replace('"padding":""', `"padding":"${'x'.repeat(pad)}"`));
  });
  return fc.oneof({ weight: 14, arbitrary: fromBase }, { weight: 3, arbitrary: standaloneBodies }, { weight: 1, arbitrary: deep }, { weight: 1, arbitrary: sized });
}

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      undefined, '', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json; charset="utf-8"', 'application/json; charset=utf8',
      'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; charset=', 'application/json; boundary=x',
      'application/json-patch+json', 'application/merge-patch+json', 'application/vnd.api+json', 'APPLICATION/JSON', 'application/json;;;',
      'text/plain', 'text/json', 'text/html; charset=utf-8', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/octet-stream',
      '*/*', 'application/', '/json', ';', 'application/json\t', 'application/jsonx',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }) },
);

/** Header values Node will put on the wire: visible ASCII, tab and obs-text bytes. */
const headerText = (maxLength: number) => fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09)).map((c) => String.fromCharCode(c)), maxLength });

const oddHeaders = fc.oneof(
  { weight: 8, arbitrary: fc.constant({} as Record<string, string | string[]>) },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip').map((e) => ({ 'content-encoding': e })) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => ({ 'x-odd': 'v'.repeat(n) })) },
  { weight: 1, arbitrary: fc.array(headerText(100), { minLength: 2, maxLength: 5 }).map((values) => ({ 'x-repeated': values })) },
  { weight: 1, arbitrary: fc.tuple(headerText(200), headerText(200)).map(([a, b]) => ({ 'idempotency-key': a, prefer: b })) },
  { weight: 1, arbitrary: fc.constantFrom('wait=5', 'wait=-1', 'wait=abc', 'wait=1e9', 'wait=99999999999999999999', 'respond-async, wait=2', 'wait').map((p) => ({ prefer: p })) },
  { weight: 1, arbitrary: fc.constantFrom('1', '10', '50', '100', '-1', 'nope').map((v) => ({ 'x-request-id': v, 'x-forwarded-for': `10.0.0.${v}` })) },
) as unknown as fc.Arbitrary<Headers>;

type Headers = Record<string, string | string[]>;

function keyHeaders(valid: string, alternatives: string[]): fc.Arbitrary<Headers> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom<Headers>({ 'x-api-key': valid }, { authorization: `Bearer ${valid}` }) },
    {
      weight: 4,
      arbitrary: fc.oneof(
        fc.constant({} as Record<string, string | string[]>),
        fc.constantFrom(...alternatives).map((k) => ({ 'x-api-key': k })),
        fc.constantFrom('', ' ', 'Bearer', 'Bearer ', `bearer\t${valid}`, `Bearer  ${valid}  `, `Basic ${Buffer.from(`u:${valid}`).toString('base64')}`, `Bearer ${valid} extra`, `Bearer ${'k'.repeat(300)}`, `Bearer ${valid.toUpperCase()}`).map((a) => ({ authorization: a })),
        fc.constantFrom(` ${valid} `, valid.toUpperCase(), valid.slice(0, -1), `${valid}x`, 'x'.repeat(300), '\u00e9'.repeat(10)).map((k) => ({ 'x-api-key': k })),
        fc.constant({ 'x-api-key': [valid, valid] }),
        fc.constant({ authorization: [`Bearer ${valid}`, 'Bearer nope'] }),
        headerText(80).map((k) => ({ 'x-api-key': k })),
      ),
    },
  ) as unknown as fc.Arbitrary<Headers>;
}

/** Did the request carry exactly the valid key (as the server reads it)? Used to assert refusals. */
function carriesKey(headers: Record<string, string | string[]>, valid: string): boolean {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim() === valid;
  const auth = headers.authorization;
  const first = Array.isArray(auth) ? auth[0] : auth;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(first ?? '');
  return match?.[1] === valid;
}

function percentOdd() {
  return fc.oneof(
    unicodeString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))),
    fc.constantFrom('%', '%zz', '%00', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '%2F', '%2e%2e', '%5C', '..', '.', ';', '%3Bx=1', '%23frag', '%3Fq=1', '+', '%20', '%09'),
  );
}

const oddIds = fc.oneof(
  fc.constant(''),
  fc.constantFrom('apr_', 'apr', 'APR_01M84S3SSRR83EA26R2AR2DE9P', 'apr_01m84s3ssrr83ea26r2ar2de9', 'apr_01m84s3ssrr83ea26r2ar2de9pp', 'apr_01m84s3ssrr83ea26r2ar2de9u', "apr_01m84s3ssrr83ea26r2ar2de9p'%20OR%201=1", 'null', 'undefined', '__proto__', 'constructor', 'prototype', '0', '-1'),
  fc.constant(null).map(() => newId('apr')),
  percentOdd(),
  fc.integer({ min: 300, max: 9_000 }).map((n) => 'a'.repeat(n)),
);

function queryString() {
  const name = fc.oneof(
    fc.constantFrom('status', 'ticketId', 'conversationId', 'limit', 'cursor', 'status[]', 'limit[0]', 'cursor[a]', '__proto__', '__proto__[polluted]', 'constructor', 'constructor[prototype][polluted]', 'prototype', 'polluted', 't', 'code', 'state', 'error'),
    percentOdd(),
  );
  const value = fc.oneof(
    fc.constantFrom('pending', 'approved', 'rejected', 'expired', 'cancelled', 'PENDING', '1', '25', '100', '101', '0', '-1', '1e3', '1.5', 'NaN', 'Infinity', '0x10', ' 5', '', '9921', 'abc'),
    percentOdd(),
    fc.integer({ min: 500, max: 12_000 }).map((n) => 'Q'.repeat(n)),
    fc.base64String({ minLength: 4, maxLength: 700 }).map(encodeURIComponent),
  );
  return fc.array(fc.tuple(name, value, fc.constantFrom('=', '', '=='), fc.constantFrom('&', '&&', ';')), { maxLength: 6 }).map((pairs) => {
    if (pairs.length === 0) return '';
    return `?${pairs.map(([n, v, eq]) => `${n}${eq}${v}`).join(pairs[0]![3])}`;
  });
}

const garbageSignature = (valid: () => string) =>
  fc.oneof(
    fc.constantFrom('', ' ', 'sha1=', 'sha256=', 'v1,', 'null', 'undefined', '0'),
    headerText(120),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 }).map((h) => `sha1=${h}`),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
    fc.base64String({ minLength: 44, maxLength: 44 }),
    fc.constant(null).map(() => valid().slice(0, -2)),
    fc.constant(null).map(() => `${valid()}00`),
  );

// ---------------------------------------------------------------------------------------------------
// The suite

type Expectation = 'json' | 'html-pages' | 'oauth-start' | 'slack-oauth';
interface FuzzCase extends RawRequest {
  /** The request has neither a valid key nor a valid signature: it must not succeed. */
  unauthorised?: boolean;
  expect?: Expectation;
}

interface Stats {
  cases: number;
  classes: Record<string, number>;
}

describe('fuzzing every endpoint', { timeout: 300_000 }, () => {
  let tokens: SignedTokens;
  let defaultWs: string;
  let zdIntakeKey: string;
  let icWorkspaceId: string;
  const pendingIds: string[] = [];
  const decidedIds: string[] = [];
  const sacrificialIds: string[] = [];
  const snapshot = new Map<string, { approval: ApprovalRecord | null; events: AuditEventRecord[] }>();
  const stats = new Map<string, Stats>();
  const transportErrors: string[] = [];
  const memberNamedDecisions: Array<{ approvalId: string; ticketId: string; changed: boolean }> = [];
  const unhandled: unknown[] = [];
  const prototypeKeysBefore = protoKeys();
  const onUnhandled = (error: unknown) => unhandled.push(error);
  // Listening before anything starts, until everything has stopped.
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
  });
  const fakeIntercom = new FakeIntercom();
  const fakeSlack = new FakeSlack();
  beforeAll(async () => {
    await fakeIntercom.start();
    await fakeSlack.start();
  });
  afterAll(async () => {
    await fakeIntercom.stop();
    await fakeSlack.stop();
  });
  /** Zendesk's API, where the ticket notes are written. */
  const fakeZendesk = withReceiver();
  const { server, receiver } = withServerAndReceiver(() => ({
    env: {
      INTERCOM_CLIENT_SECRET: INTERCOM_SECRET,
      INTERCOM_CLIENT_ID: 'fuzz-client-id',
      INTERCOM_API_URL: fakeIntercom.url,
      INTERCOM_TOKEN_URL: `${fakeIntercom.url}/auth/eagle/token`,
      SLACK_API_URL: fakeSlack.url,
      SLACK_CLIENT_ID: 'fuzz-slack-client-id',
      SLACK_CLIENT_SECRET: 'fuzz-slack-client-secret',
      COUNTERSIGN_MAX_WAIT_MS: '50',
      COUNTERSIGN_RATE_LIMIT_PER_KEY: '0',
      COUNTERSIGN_RATE_LIMIT_PER_IP: '0',
      COUNTERSIGN_RATE_LIMIT_PLATFORM_PER_IP: '0',
    },
  }));

  beforeAll(async () => {
    tokens = new SignedTokens(loadSecretKey(undefined, server.dataDir).key, 'approval-link');
    const defaultWorkspace = (await server.app.store.workspaces.findByName('default'))!;
    defaultWs = defaultWorkspace.id;
    await new ZendeskSettings(server.app.workspaces).setCredentials(defaultWorkspace, { subdomain: 'fuzz', email: 'bot@fuzz.example', apiToken: 'fuzz-api-token', baseUrl: fakeZendesk.url });
    zdIntakeKey = (await zendeskWorkspace(server, 'zd-signed', { signingSecret: ZENDESK_SIGNING_SECRET })).intakeKey;
    const intercom = new IntercomSettings(server.app.store, server.app.workspaces, server.config.intercom);
    const icWs = (await server.app.workspaces.create('fuzz-ic')).workspace;
    icWorkspaceId = icWs.id;
    await intercom.setLink(icWs, { workspaceId: IC_WORKSPACE, region: 'US', adminId: '7001', gatedTopics: [GATED], callbackUrl: null }, fakeIntercom.token);

    // The approvals that must come out of the run unchanged: pending ones (with and without a
    // platform context) and decided ones (approved, rejected, cancelled).
    const create = async (body: object) => (await server.intake.createApproval(body as never)).approval.approvalId;
    pendingIds.push(
      await create(seed001Sample),
      await create({ ...seed001Sample, details: { conversation_id: '5150', amount: '12.00' } }),
      await create({ ...seed001Sample, riskLevel: 'critical', callbackUrl: `${receiver.url}/cb`, context: { platform: 'zendesk', ticketId: '77' } }),
    );
    const approved = await create({ ...seed001Sample, details: { ticket_id: '78' } });
    await server.review.decide(approved, { decision: 'approve', reviewer, modifiedDetails: { ticket_id: '78', amount: '1.00' } });
    const rejected = await create({ ...seed001Sample, details: { ticket_id: '79' } });
    await server.review.decide(rejected, { decision: 'reject', reviewer, note: 'no' });
    const cancelled = await create({ ...seed001Sample, details: { ticket_id: '80' } });
    await server.intake.cancelApproval(cancelled, { reason: 'changed my mind' });
    decidedIds.push(approved, rejected, cancelled);
    // Numeric ticket ids, so that deciding one plans a ticket note; half carry member-named keys.
    for (let i = 0; i < 16; i++) {
      const members = i % 2 === 0 ? objectOf(OBJECT_MEMBERS.filter((name) => name !== '__proto__').slice(i % 6, (i % 6) + 3).map((name) => [name, `v${i}`] as const)) : {};
      sacrificialIds.push(await create({ ...seed001Sample, details: { ticket_id: String(8000 + i), ...members } }));
    }
    for (const id of [...pendingIds, ...decidedIds]) snapshot.set(id, await stored(id));
    console.log(`fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${runs()} cases per endpoint by default`);
  });

  async function stored(id: string) {
    return { approval: await server.app.store.approvals.get(defaultWs, id), events: await server.app.store.approvals.listEvents(defaultWs, id) };
  }

  function record(endpoint: string, outcome: RawOutcome): void {
    const entry = stats.get(endpoint) ?? { cases: 0, classes: {} };
    entry.cases++;
    const label = outcome.ok ? `${Math.floor(outcome.response.status / 100)}xx` : 'no-response';
    entry.classes[label] = (entry.classes[label] ?? 0) + 1;
    stats.set(endpoint, entry);
  }

  async function check(endpoint: string, request: FuzzCase): Promise<void> {
    const outcome = await send(server.url, request);
    record(endpoint, outcome);
    const describeCase = () => `${request.method} ${request.path.slice(0, 200)} headers=${JSON.stringify(request.headers).slice(0, 300)} body=${JSON.stringify(request.body?.toString('utf8').slice(0, 300))}`;
    if (!outcome.ok) {
      // The only acceptable way not to get an answer: the server refused an oversized body or header
      // block and closed the connection while the client was still sending. It must still be up.
      transportErrors.push(`${endpoint}: ${outcome.error}`);
      const oversized = (request.body?.length ?? 0) > BODY_LIMIT || Object.values(request.headers ?? {}).some((v) => String(v).length > 8_000) || request.path.length > 8_000;
      expect(outcome.error.startsWith('client refused') || (oversized && ['EPIPE', 'ECONNRESET'].includes(outcome.error)), `${outcome.error} for ${describeCase()}`).toBe(true);
      expect((await call(`${server.url}/healthz`)).status).toBe(200);
      return;
    }
    const response = outcome.response;
    const context = () => `${response.status} ${response.text.slice(0, 300)} for ${describeCase()}`;
    expect(response.status, context()).toBeLessThan(500);
    expect(response.status, context()).toBeGreaterThanOrEqual(200);
    if (request.unauthorised) expect(response.status >= 200 && response.status < 300, `an unauthorised request succeeded: ${context()}`).toBe(false);
    if (response.status >= 200 && response.status < 300) return;
    // Node's HTTP parser answers over-long header blocks itself, before any application code runs.
    if (response.status === 431) return;
    const expectation = request.expect ?? 'json';
    if (expectation === 'oauth-start' && response.status === 302) {
      expect(String(response.headers.location), context()).toMatch(/^https:\/\/app\.intercom\.com\/oauth\?/);
      return;
    }
    if (expectation === 'slack-oauth' && response.status === 302) {
      expect(String(response.headers.location), context()).toMatch(/^https:\/\/slack\.com\/oauth\/v2\/authorize\?/);
      return;
    }
    // "Add to Slack" pages: a bad install link (400, 403, 404 for a workspace gone), a bad callback (400).
    if (expectation === 'slack-oauth' && /^text\/html/.test(String(response.headers['content-type']))) {
      expect([400, 403, 404], context()).toContain(response.status);
      if (request.method !== 'HEAD') expect(response.text, context()).toMatch(/^<!doctype html>/i);
      return;
    }
    if (expectation === 'html-pages' && /^text\/html/.test(String(response.headers['content-type']))) {
      expect([400, 403], context()).toContain(response.status);
      if (request.method !== 'HEAD') expect(response.text, context()).toMatch(/^<!doctype html>/i);
      return;
    }
    if (request.method === 'HEAD') return;
    expect(isJsonResponse(response), `not JSON: ${context()}`).toBe(true);
    const shape = ErrorShape.safeParse(response.json);
    expect(shape.success, `not the error shape: ${context()}`).toBe(true);
  }

  async function fuzz(endpoint: string, arbitrary: fc.Arbitrary<FuzzCase>, numRuns = runs()): Promise<void> {
    const offset = [...endpoint].reduce((sum, c) => sum + c.charCodeAt(0), 0);
    await fc.assert(
      fc.asyncProperty(arbitrary, (request) => check(endpoint, request)),
      { numRuns, seed: SEED + offset },
    );
  }

  // --- Automations -------------------------------------------------------------------------------

  const intakeBase = {
    ...seed001Sample,
    riskLevel: 'high',
    priority: 'urgent',
    agentName: 'Fin',
    expiresInSeconds: 3600,
    metadata: { source: 'fuzz' },
    context: { platform: 'zendesk', ticketId: '9921' },
    details: { ...seed001Sample.details, amount: '49.00', nested: { list: [1, 'two', null] } },
  };

  it('POST /api/webhooks/inbound (intake key)', async () => {
    await fuzz(
      'POST /api/webhooks/inbound',
      fc.record({ auth: keyHeaders(INTAKE_KEY, [REVIEW_KEY, zdIntakeKeyPlaceholder()]), type: contentType, extra: oddHeaders, body: bodyFor(intakeBase, 'details'), chunked: fc.boolean() }).map(({ auth, type, extra, body, chunked }) => ({
        method: 'POST',
        path: '/api/webhooks/inbound',
        headers: { ...extra, ...auth, ...(type === undefined ? {} : { 'content-type': type }) },
        body,
        chunked,
        unauthorised: !carriesKey(auth, INTAKE_KEY),
      })),
    );
  });

  it('POST /api/webhooks/inbound (workspace with a Zendesk signing secret: valid and garbage signatures)', async () => {
    const timestamp = fc.oneof(
      { weight: 8, arbitrary: fc.constant(null).map(() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')) },
      { weight: 1, arbitrary: fc.constantFrom('yesterday', '', '0', '2020-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'NaN', '1e999') },
      { weight: 1, arbitrary: fc.integer({ min: -3_600_000, max: 3_600_000 }).map((ms) => new Date(Date.now() + ms).toISOString()) },
    );
    await fuzz(
      'POST /api/webhooks/inbound (zendesk-signed)',
      fc.record({ type: contentType, body: bodyFor(intakeBase, 'details'), timestamp, signed: fc.boolean(), garbage: garbageSignature(() => zendeskSignature(ZENDESK_SIGNING_SECRET, new Date().toISOString(), '{}')), invocation: fc.option(headerText(80)) }).map(({ type, body, timestamp, signed, garbage, invocation }) => ({
        method: 'POST',
        path: '/api/webhooks/inbound',
        headers: {
          'x-api-key': zdIntakeKey,
          ...(type === undefined ? {} : { 'content-type': type }),
          'x-zendesk-webhook-signature': signed ? zendeskSignature(ZENDESK_SIGNING_SECRET, timestamp, body) : garbage,
          'x-zendesk-webhook-signature-timestamp': timestamp,
          ...(invocation === null ? {} : { 'x-zendesk-webhook-invocation-id': invocation }),
        },
        body,
        unauthorised: !signed,
      })),
    );
  });

  it('POST /api/approvals/{id}/cancel', async () => {
    const target = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...pendingIdsLater()).map((id) => ({ id, kind: 'pending' as const })) },
      { weight: 2, arbitrary: fc.constantFrom(...decidedIdsLater()).map((id) => ({ id, kind: 'other' as const })) },
      { weight: 1, arbitrary: fc.constantFrom(...sacrificialIdsLater()).map((id) => ({ id, kind: 'other' as const })) },
      { weight: 3, arbitrary: oddIds.map((id) => ({ id, kind: 'other' as const })) },
    );
    await fuzz(
      'POST /api/approvals/{id}/cancel',
      fc.record({ target, auth: keyHeaders(INTAKE_KEY, [REVIEW_KEY]), type: contentType, extra: oddHeaders, body: bodyFor({ reason: 'The customer changed their mind' }) }).map(({ target, auth, type, extra, body }) => {
        // A pending snapshot approval must survive: its cancel bodies always carry an unknown field,
        // which the strict schema refuses (an empty body would be a valid cancel).
        if (target.kind === 'pending') {
          if (body.length === 0) body = Buffer.from('{"force":true}');
          else body = withField(body, 'force', true);
        }
        return {
          method: 'POST',
          path: `/api/approvals/${target.id}/cancel`,
          headers: { ...extra, ...auth, ...(type === undefined ? {} : { 'content-type': type }) },
          body,
          unauthorised: !carriesKey(auth, INTAKE_KEY),
        };
      }),
    );
  });

  it('GET /api/approvals/{id} and /events', async () => {
    const id = fc.oneof(fc.constantFrom(...pendingIdsLater(), ...decidedIdsLater()), oddIds);
    const auth = fc.oneof(keyHeaders(INTAKE_KEY, [zdIntakeKeyPlaceholder()]), keyHeaders(REVIEW_KEY, [INTAKE_KEY]));
    await fuzz(
      'GET /api/approvals/{id}',
      fc.record({ id, auth, query: queryString(), extra: oddHeaders, method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'PUT', 'DELETE', 'PATCH') }).map(({ id, auth, query, extra, method }) => ({
        method, path: `/api/approvals/${id}${query}`, headers: { ...extra, ...auth }, unauthorised: !carriesKey(auth, INTAKE_KEY) && !carriesKey(auth, REVIEW_KEY),
      })),
    );
    await fuzz(
      'GET /api/approvals/{id}/events',
      fc.record({ id, auth, query: queryString(), extra: oddHeaders }).map(({ id, auth, query, extra }) => ({
        method: 'GET', path: `/api/approvals/${id}/events${query}`, headers: { ...extra, ...auth }, unauthorised: !carriesKey(auth, INTAKE_KEY) && !carriesKey(auth, REVIEW_KEY),
      })),
    );
  });

  // --- Reviewers ---------------------------------------------------------------------------------

  it('GET /api/approvals (list)', async () => {
    await fuzz(
      'GET /api/approvals',
      fc.record({ auth: keyHeaders(REVIEW_KEY, [INTAKE_KEY]), query: queryString(), extra: oddHeaders }).map(({ auth, query, extra }) => ({
        method: 'GET', path: `/api/approvals${query}`, headers: { ...extra, ...auth }, unauthorised: !carriesKey(auth, REVIEW_KEY),
      })),
    );
  });

  it('POST /api/approvals/{id}/decision', async () => {
    const decisionBase = { decision: 'approve', reviewer: { ...reviewer }, note: 'ok', modifiedDetails: { amount: '10.00', ticket_id: '9921' } };
    const wrongDecision = anyValue(['decision']).filter((v) => v !== 'approve' && v !== 'reject');
    const target = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...pendingIdsLater()).map((id) => ({ id, kind: 'pending' as const })) },
      { weight: 2, arbitrary: fc.constantFrom(...decidedIdsLater()).map((id) => ({ id, kind: 'other' as const })) },
      { weight: 1, arbitrary: fc.constantFrom(...sacrificialIdsLater()).map((id) => ({ id, kind: 'other' as const })) },
      { weight: 2, arbitrary: oddIds.map((id) => ({ id, kind: 'other' as const })) },
    );
    await fuzz(
      'POST /api/approvals/{id}/decision',
      fc.record({ target, auth: keyHeaders(REVIEW_KEY, [INTAKE_KEY]), type: contentType, extra: oddHeaders, body: bodyFor(decisionBase), wrong: wrongDecision }).map(({ target, auth, type, extra, body, wrong }) => {
        // For a pending snapshot approval the decision itself is always malformed, so nothing can win.
        if (target.kind === 'pending') body = withField(body, 'decision', wrong);
        return {
          method: 'POST',
          path: `/api/approvals/${target.id}/decision`,
          headers: { ...extra, ...auth, ...(type === undefined ? {} : { 'content-type': type }) },
          body,
          unauthorised: !carriesKey(auth, REVIEW_KEY),
        };
      }),
    );
  });

  it('intake and approval with keys named like every Object.prototype member, ticket notes configured', async () => {
    // Values JSON carries exactly (numbers beyond it are refused with 422, tested elsewhere), so every
    // case is a valid request unless it holds a literal "__proto__", which the body reader refuses.
    const exact = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !(Math.abs(v) <= Number.MAX_SAFE_INTEGER) ? String(v) : v)) ?? 'null');
    const keyed = (value: fc.Arbitrary<unknown>) =>
      fc.uniqueArray(fc.tuple(fc.constantFrom(...OBJECT_MEMBERS), value.map(exact)), { minLength: 1, maxLength: 5, selector: ([key]) => key }).map(objectOf);
    const hasProto = (value: unknown) => /"__proto__":/.test(JSON.stringify(value) ?? '');
    const postJson = (path: string, headers: Record<string, string>, body: unknown) =>
      send(server.url, { method: 'POST', path, headers: { ...headers, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) });
    let ticket = 100_000;
    await fc.assert(
      fc.asyncProperty(fc.record({ details: keyed(anyValue([])), metadata: fc.option(keyed(scalar)), patch: keyed(fc.oneof(fc.constant(null), anyValue([]))) }), async ({ details, metadata, patch }) => {
        const ticketId = String(ticket++);
        const intakeBody = { ...seed001Sample, context: { platform: 'zendesk', ticketId }, details: objectOf([['amount', '49.00'], ...Object.entries(details)]), ...(metadata ? { metadata } : {}) };
        const created = await postJson('/api/webhooks/inbound', { 'x-api-key': INTAKE_KEY }, intakeBody);
        record('member-named keys', created);
        if (!created.ok) throw new Error(created.error);
        const refusedAtIntake = hasProto(intakeBody.details) || hasProto(metadata);
        expect(created.response.status, created.response.text.slice(0, 300)).toBe(refusedAtIntake ? 400 : 201);
        if (refusedAtIntake) return;
        const approvalId = (created.response.json as { approvalId: string }).approvalId;
        const decided = await postJson(`/api/approvals/${approvalId}/decision`, { authorization: `Bearer ${REVIEW_KEY}` }, { decision: 'approve', reviewer, modifiedDetails: patch });
        record('member-named keys', decided);
        if (!decided.ok) throw new Error(decided.error);
        const context = () => `${decided.response.status} ${decided.response.text.slice(0, 300)} for patch ${JSON.stringify(patch).slice(0, 300)}`;
        if (hasProto(patch)) {
          expect(decided.response.status, context()).toBe(400);
          return;
        }
        expect(decided.response.status, context()).toBe(200);
        const view = decided.response.json as { status: string; details: Record<string, unknown>; modifiedDetails: Record<string, unknown> | null; changes: unknown[] };
        expect(view.status).toBe('approved');
        const effective = view.modifiedDetails ?? view.details;
        // An independent reading of RFC 7396 at the top level: null removes, non-objects replace.
        for (const [key, value] of Object.entries(patch)) {
          if (value === null) expect(Object.hasOwn(effective, key), context()).toBe(false);
          else if (typeof value !== 'object' || Array.isArray(value)) expect(effective[key], context()).toEqual(value);
        }
        expect(effective.amount, context()).toBe('49.00');
        expect(Array.isArray(view.changes)).toBe(true);
        memberNamedDecisions.push({ approvalId, ticketId, changed: view.modifiedDetails !== null });
      }),
      { numRuns: runs(150), seed: SEED + 7 },
    );
    // Every one of them was approved, and each ticket got its note (written by the outbox worker).
    expect(memberNamedDecisions.length).toBeGreaterThan(0);
    const notePaths = new Set(memberNamedDecisions.map(({ ticketId }) => `/api/v2/tickets/${ticketId}.json`));
    await fakeZendesk.waitFor((all) => [...notePaths].every((path) => all.some((r) => r.path === path)), 60_000);
    for (const { approvalId, ticketId, changed } of memberNamedDecisions) {
      const note = fakeZendesk.received.find((r) => r.path === `/api/v2/tickets/${ticketId}.json`)!;
      const body = (note.json.ticket as { comment: { body: string } }).comment.body;
      expect(body).toContain(approvalId);
      expect(body.includes('Changed before approval:'), body).toBe(changed);
    }
  });

  // --- Platform endpoints ------------------------------------------------------------------------

  it('POST /webhooks/intercom (valid signatures over fuzzed bytes, and garbage ones)', async () => {
    const base = notification(GATED, '6100', IC_WORKSPACE, 'notif_fuzz_base') as unknown as Record<string, unknown>;
    const item = (base.data as { item: Record<string, unknown> }).item;
    // Half the time the conversation item alone is mutated (deeper), inside an otherwise genuine notification.
    const itemMutated = mutated(item, 4).map((mutatedItem) => Buffer.from(JSON.stringify({ ...base, data: { ...(base.data as object), item: mutatedItem } })));
    await fuzz(
      'POST /webhooks/intercom',
      fc.record({
        body: fc.oneof(bodyFor(base), itemMutated),
        id: fc.uuid(),
        topic: fc.constantFrom(GATED, GATED, 'conversation.admin.closed', 'contact.created', 'ping'),
        type: contentType,
        signed: fc.integer({ min: 0, max: 9 }),
        garbage: garbageSignature(() => hubSignature(INTERCOM_SECRET, '{}')),
        extra: oddHeaders,
      }).map(({ body, id, topic, type, signed, garbage, extra }) => {
        // Each case its own notification id and topic, so valid ones get past deduplication.
        const text = body.toString('utf8').replace('notif_fuzz_base', `notif_${id}`).replace(`"topic":"${GATED}"`, `"topic":"${topic}"`);
        const bytes = text === body.toString('utf8') ? body : Buffer.from(text);
        const valid = signed < 6;
        return {
          method: 'POST',
          path: '/webhooks/intercom',
          headers: { ...extra, ...(type === undefined ? {} : { 'content-type': type }), ...(signed === 9 ? {} : { 'x-hub-signature': valid ? hubSignature(INTERCOM_SECRET, bytes) : garbage }) },
          body: bytes,
          unauthorised: !valid,
        };
      }),
    );
  });

  for (const flow of ['initialize', 'submit'] as const) {
    it(`POST /intercom/canvas/${flow} (valid signatures over fuzzed bytes, and garbage ones)`, async () => {
      const ids = [...pendingIdsLater(), ...decidedIdsLater(), ...sacrificialIdsLater(), newId('apr'), 'apr_x'];
      const base: Record<string, unknown> = {
        workspace_id: IC_WORKSPACE,
        workspace_region: 'us',
        admin: { type: 'admin', id: 991267696, name: 'Ana Teammate', email: 'ana@example.com' },
        conversation: { type: 'conversation', id: 5150 },
        contact: { type: 'user', id: 'contact_1' },
        context: { conversation_id: '5150', location: 'inbox' },
      };
      const componentId = fc.oneof(fc.constantFrom('refresh', 'back', 'full-request:x'), fc.tuple(fc.constantFrom('open', 'approve', 'reject', 'reject-confirm', 'edit', 'edit-approve'), fc.constantFrom(...ids)).map(([verb, id]) => `${verb}:${id}`), unicodeString);
      await fuzz(
        `POST /intercom/canvas/${flow}`,
        fc.record({
          componentId,
          workspace: fc.constantFrom(IC_WORKSPACE, IC_WORKSPACE, 'ic_unknown'),
          type: contentType,
          signed: fc.integer({ min: 0, max: 9 }),
          garbage: garbageSignature(() => signCanvasBody(INTERCOM_SECRET, '{}')),
          extra: oddHeaders,
        }).chain((c) => {
          const flowBase = flow === 'submit'
            ? { ...base, workspace_id: c.workspace, component_id: c.componentId, input_values: { note: 'fuzz', 'detail:amount': '1.00' }, current_canvas: { content: { components: [] }, stored_data: { v: 1, view: 'detail', conversationId: '5150' } } }
            : { ...base, workspace_id: c.workspace };
          return bodyFor(flowBase).map((body) => ({ ...c, body }));
        }).map(({ body, type, signed, garbage, extra }) => {
          const valid = signed < 6;
          return {
            method: 'POST',
            path: `/intercom/canvas/${flow}`,
            headers: { ...extra, ...(type === undefined ? {} : { 'content-type': type }), ...(signed === 9 ? {} : { 'x-body-signature': valid ? signCanvasBody(INTERCOM_SECRET, body) : garbage }) },
            body,
            unauthorised: !valid,
          };
        }),
      );
    });
  }

  it('POST /slack/interactions (valid signatures over fuzzed payloads and bytes, and garbage ones)', async () => {
    const slackWs = (await slackWorkspace(server, 'fuzz-slack', fakeSlack)).workspace;
    const slackIntake = (await server.app.workspaces.issueKey(slackWs, 'intake')).key;
    const ids: string[] = [newId('apr'), 'apr_x', '__proto__'];
    for (let i = 0; i < 4; i++) {
      const created = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': slackIntake }, json: { ...seed001Sample, details: { ticket_id: String(6600 + i), amount: 12.5, rush: false } } });
      ids.push(created.body.approvalId);
    }
    const message = { channel: SLACK_CHANNEL, ts: '1790000000.000001', blocks: [] };
    const click = fc.tuple(fc.constantFrom('countersign_approve', 'countersign_reject', 'countersign_edit', 'other_action'), fc.constantFrom(...ids)).map(([actionId, value]) =>
      blockActionsPayload(actor(ANA), message, { actionId, value }, fakeSlack.workspace.newTrigger()));
    const submission = fc.tuple(fc.constantFrom('countersign_reject', 'countersign_edit', 'other_view'), fc.constantFrom(...ids), fc.constantFrom('', 'abc', '0'.repeat(24))).map(([callbackId, approvalId, fingerprint]) =>
      viewSubmissionPayload(actor(ANA), { id: 'VFUZZ', callback_id: callbackId, private_metadata: JSON.stringify({ approvalId, channel: SLACK_CHANNEL, fingerprint }) }, {
        note: { value: { type: 'plain_text_input', value: 'fuzz' } },
        detail_1: { value: { type: 'number_input', value: '25' } },
        detail_2: { value: { type: 'radio_buttons', selected_option: { value: 'true' } } },
      }));
    const payloadBytes = fc.oneof(click, submission).chain((payload) => bodyFor(payload as Record<string, unknown>));
    const formBody = fc.oneof(
      { weight: 8, arbitrary: payloadBytes.map((bytes) => Buffer.from(new URLSearchParams({ payload: bytes.toString('utf8') }).toString())) },
      { weight: 1, arbitrary: payloadBytes.map((bytes) => Buffer.concat([Buffer.from('payload='), bytes])) },
      { weight: 1, arbitrary: standaloneBodies },
    );
    const timestamp = fc.oneof(
      { weight: 8, arbitrary: fc.constant(null).map(() => String(Math.floor(Date.now() / 1000))) },
      { weight: 1, arbitrary: fc.constantFrom('', '0', '-1', 'NaN', '1e10', '99999999999999', ' 1', String(Math.floor(Date.now() / 1000) - 400)) },
      { weight: 1, arbitrary: headerText(20) },
    );
    await fuzz(
      'POST /slack/interactions',
      fc.record({ body: formBody, timestamp, signed: fc.integer({ min: 0, max: 9 }), garbage: garbageSignature(() => slackSignature(fakeSlack.workspace.signingSecret, '1', '')), type: contentType, extra: oddHeaders }).map(({ body, timestamp, signed, garbage, type, extra }) => {
        const valid = signed < 6;
        return {
          method: 'POST',
          path: '/slack/interactions',
          headers: { ...extra, ...(type === undefined ? {} : { 'content-type': type }), 'x-slack-request-timestamp': timestamp, ...(signed === 9 ? {} : { 'x-slack-signature': valid ? slackSignature(fakeSlack.workspace.signingSecret, timestamp, body) : garbage }) },
          body,
          unauthorised: !valid,
        };
      }),
    );
    // The work after each answer (users.info, views.open, decisions, ephemeral answers) is done, and none of it failed.
    await new Promise((r) => setTimeout(r, 500));
    expect(server.logs.filter((line) => line.msg === 'slack interaction failed').map((line) => JSON.stringify(line.err).slice(0, 400))).toEqual([]);
  });

  it('GET /intercom/oauth/start and /callback (HTML pages)', async () => {
    const cookie = fc.oneof(fc.constant(undefined), headerText(300).map((v) => `cs_intercom_oauth=${v}`), fc.constantFrom('cs_intercom_oauth=', 'cs_intercom_oauth=%', 'cs_intercom_oauth=%E0%A4%A', 'a=b; cs_intercom_oauth=x.y.z', '=;=;'));
    const param = fc.oneof(fc.constantFrom('', 'good-code', 'x'.repeat(2001), '%', '%E0%A4%A', '%00'), percentOdd(), headerText(40).map(encodeURIComponent));
    const callbackQuery = fc.tuple(fc.option(param), fc.option(param), fc.option(param)).map(([code, state, error]) =>
      `?${[code === null ? '' : `code=${code}`, state === null ? '' : `state=${state}`, error === null ? '' : `error=${error}`].filter(Boolean).join('&')}`);
    const oauth = fc.record({ path: fc.constantFrom('/intercom/oauth/start', '/intercom/oauth/callback', '/intercom/oauth/callback'), query: fc.oneof(queryString(), callbackQuery), cookie, extra: oddHeaders, method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'HEAD') }).map(({ path, query, cookie, extra, method }) => ({
      method,
      path: `${path}${query}`,
      headers: { ...extra, ...(cookie === undefined ? {} : { cookie }) },
      expect: (path.endsWith('start') ? 'oauth-start' : 'html-pages') as Expectation,
    }));
    await fuzz('GET /intercom/oauth/*', oauth);
  });

  it('GET /slack/oauth/start and /callback (HTML pages, or a redirect to Slack for a genuine install link)', async () => {
    const installTokens = slackInstallTokens(loadSecretKey(undefined, server.dataDir).key);
    const workspace = (await server.app.store.workspaces.findByName('default'))!;
    const genuine = (channel: string | null, workspaceId = workspace.id) => new URL(slackInstallLink(installTokens, 'http://x', { ...workspace, id: workspaceId }, channel).url).searchParams.get('install')!;
    const install = fc.oneof(
      fc.constantFrom('', '%', '%E0%A4%A', 'a.b.c', 'x'.repeat(2001)), percentOdd(), headerText(80).map(encodeURIComponent),
      fc.constantFrom(null, SLACK_CHANNEL).map((channel) => genuine(channel)),
      oddIds.map((id) => genuine(null, id)),
    );
    const startQuery = fc.oneof(queryString(), install.map((token) => `?install=${token}`), fc.tuple(install, install).map(([a, b]) => `?install=${a}&install=${b}`));
    const cookie = fc.oneof(fc.constant(undefined), headerText(300).map((v) => `cs_slack_oauth=${v}`), fc.constantFrom('cs_slack_oauth=', 'cs_slack_oauth=%', 'cs_slack_oauth=%E0%A4%A', 'a=b; cs_slack_oauth=x.y.z', '=;=;'));
    const param = fc.oneof(fc.constantFrom('', 'fake-code-1', 'access_denied', 'x'.repeat(2001), '%', '%E0%A4%A', '%00'), percentOdd(), headerText(40).map(encodeURIComponent));
    const callbackQuery = fc.tuple(fc.option(param), fc.option(param), fc.option(param)).map(([code, state, error]) =>
      `?${[code === null ? '' : `code=${code}`, state === null ? '' : `state=${state}`, error === null ? '' : `error=${error}`].filter(Boolean).join('&')}`);
    const oauth = fc.oneof(
      fc.record({ path: fc.constant('/slack/oauth/start'), query: startQuery, cookie, extra: oddHeaders, method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'HEAD') }),
      fc.record({ path: fc.constant('/slack/oauth/callback'), query: fc.oneof(queryString(), callbackQuery), cookie, extra: oddHeaders, method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'HEAD') }),
    ).map(({ path, query, cookie, extra, method }) => ({
      method,
      path: `${path}${query}`,
      headers: { ...extra, ...(cookie === undefined ? {} : { cookie }) },
      expect: 'slack-oauth' as Expectation,
    }));
    await fuzz('GET /slack/oauth/*', oauth);
  });

  it('GET /approvals/{id}/view?t= (HTML when the link is genuine, the error shape otherwise)', async () => {
    const target = fc.oneof(fc.constantFrom(...pendingIdsLater(), ...decidedIdsLater()), oddIds);
    const token = fc.tuple(target, fc.integer({ min: 0, max: 8 }), headerText(200), fc.nat()).map(([id, kind, junk, n]) => {
      const genuine = () => new URL(approvalLink(tokens, 'http://x', defaultWs, id)).searchParams.get('t')!;
      switch (kind) {
        case 0: case 1: return { id, query: `?t=${genuine()}` };
        case 2: return { id, query: `?t=${genuine()}&t=${genuine()}` };
        case 3: { const t = genuine(); const i = n % t.length; return { id, query: `?t=${encodeURIComponent(t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1))}` }; }
        case 4: return { id, query: `?t=${genuine().slice(0, n % 40)}` };
        case 5: return { id, query: `?t=${encodeURIComponent(new URL(approvalLink(tokens, 'http://x', icWorkspaceId, id)).searchParams.get('t')!)}` };
        case 6: return { id, query: `?t=${encodeURIComponent(junk)}` };
        case 7: return { id, query: `?t[]=${genuine()}` };
        default: return { id, query: `?t=${'a.'.repeat(n % 3000)}` };
      }
    });
    await fuzz(
      'GET /approvals/{id}/view',
      fc.record({ token, extra: oddHeaders }).map(({ token, extra }) => ({ method: 'GET', path: `/approvals/${token.id}/view${token.query}`, headers: extra })),
    );
  });

  it('GET /healthz, /readyz and unknown routes and methods', async () => {
    const segment = fc.oneof(fc.constantFrom('api', 'approvals', 'webhooks', 'inbound', 'intercom', 'canvas', 'oauth', 'healthz', 'readyz', 'playground', 'view', 'events', 'decision', 'cancel', '', '..'), percentOdd());
    const path = fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom('/healthz', '/readyz', '/', '/playground', '/playground/', '/api', '/api/approvals/', '/webhooks', '//healthz', '/healthz/', '/HEALTHZ') },
      { weight: 3, arbitrary: fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => `/${parts.join('/')}`) },
    );
    await fuzz(
      'GET /healthz, /readyz, other routes',
      fc.record({ path, query: queryString(), method: fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE'), extra: oddHeaders, body: fc.option(standaloneBodies), type: fc.option(contentType) }).map(({ path, query, method, extra, body, type }) => ({
        method,
        path: `${path}${query}`,
        headers: { ...extra, ...(type ? { 'content-type': type } : {}) },
        body: method === 'GET' || method === 'HEAD' || method === 'TRACE' ? undefined : body ?? undefined,
      })),
    );
  });

  // --- What must hold after all of it -------------------------------------------------------------

  it('left every pre-existing approval and its audit trail unchanged, polluted no prototype, and the server still works', async () => {
    for (const [id, before] of snapshot) expect(await stored(id), id).toEqual(before);

    for (const prop of POLLUTION_PROPS) {
      expect(({} as Record<string, unknown>)[prop], prop).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, prop), prop).toBe(false);
      expect(([] as unknown as Record<string, unknown>)[prop], prop).toBeUndefined();
    }
    expect(protoKeys()).toEqual(prototypeKeysBefore);
    expect(unhandled).toEqual([]);

    // Normal service afterwards, through every audience.
    expect((await call(`${server.url}/healthz`)).status).toBe(200);
    expect((await call(`${server.url}/readyz`)).status).toBe(200);
    const { approval } = await server.intake.createApproval({ ...seed001Sample, details: { ticket_id: 'after-fuzz' } });
    expect(approval.status).toBe('pending');
    expect((await server.intake.getApproval(approval.approvalId)).approvalId).toBe(approval.approvalId);
    expect((await server.review.listApprovals({ ticketId: 'after-fuzz' })).items).toHaveLength(1);
    expect((await server.review.decide(approval.approvalId, { decision: 'approve', reviewer })).status).toBe('approved');
    const canvas = JSON.stringify({ ...{ workspace_id: IC_WORKSPACE, admin: { id: '1' }, conversation: { id: '5150' } } });
    const initialized = await call(`${server.url}/intercom/canvas/initialize`, { headers: { 'content-type': 'application/json', 'x-body-signature': signCanvasBody(INTERCOM_SECRET, canvas) }, body: canvas });
    expect(initialized.status).toBe(200);
    expect(initialized.body.canvas).toBeDefined();

    // Nothing went wrong inside the server where the answer would not show it (notifications are
    // processed after their 200: wait until every recorded one has been tried once).
    const deadline = Date.now() + 15_000;
    while ((await server.app.store.platformEvents.listUnprocessed('intercom', Date.now() + 1000, 1, 1000)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const errors = server.logs.filter((line) => Number(line.level) >= 50);
    const canvasFailures = server.logs.filter((line) => line.msg === 'intercom canvas request failed');
    const notificationFailures = server.logs.filter((line) => line.msg === 'intercom notification failed; it will be retried');
    expect(errors.map((line) => `${String(line.msg)}: ${JSON.stringify(line.err).slice(0, 400)}`)).toEqual([]);
    expect(canvasFailures.map((line) => JSON.stringify(line.err).slice(0, 400))).toEqual([]);
    const unexpectedNotificationFailures = notificationFailures.filter((line) => (line.err as { type?: string } | undefined)?.type !== 'AppError');
    expect(unexpectedNotificationFailures.map((line) => JSON.stringify(line.err).slice(0, 400))).toEqual([]);

    // The figures.
    const total = { cases: 0, classes: {} as Record<string, number> };
    const rows = [...stats].map(([endpoint, s]) => {
      total.cases += s.cases;
      for (const [label, n] of Object.entries(s.classes)) total.classes[label] = (total.classes[label] ?? 0) + n;
      return { endpoint, cases: s.cases, ...s.classes };
    });
    rows.push({ endpoint: 'TOTAL', cases: total.cases, ...total.classes });
    console.log(`fuzz: seed ${SEED}; ${total.cases} cases; status classes ${JSON.stringify(total.classes)}; connections closed by the server on oversized input: ${transportErrors.length}; async notification refusals (AppError): ${notificationFailures.length}`);
    console.table(rows);
  });

  // The id lists are filled in beforeAll; the arbitraries are built when each test runs.
  function pendingIdsLater() { return pendingIds; }
  function decidedIdsLater() { return decidedIds; }
  function sacrificialIdsLater() { return sacrificialIds; }
  function zdIntakeKeyPlaceholder() { return zdIntakeKey ?? 'cs_live_unknown'; }
});

/** A JSON object body with one field set; any other body (not JSON, not an object, too deep to re-serialise) as it was. */
function withField(body: Buffer, key: string, value: unknown): Buffer {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
    Object.defineProperty(parsed, key, { value, enumerable: true, writable: true, configurable: true });
    return Buffer.from(JSON.stringify(parsed));
  } catch {
    return body;
  }
}

function protoKeys(): Record<string, string[]> {
  return {
    Object: Object.getOwnPropertyNames(Object.prototype).sort(),
    Array: Object.getOwnPropertyNames(Array.prototype).sort(),
    Function: Object.getOwnPropertyNames(Function.prototype).sort(),
    String: Object.getOwnPropertyNames(String.prototype).sort(),
  };
}
