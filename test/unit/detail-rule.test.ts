// The one detail rule every part shares (shared/): merge patches in, the complete object and the
// list of changes out, type-preserving edits, numbers JSON can carry, and own keys only throughout.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyMergePatch,
  CountersignApiError,
  CountersignClient,
  DecisionBody,
  detailChanges,
  editedDetailValue,
  IntakeBody,
  isRepresentableNumber,
  mergePatchBetween,
  toErrorIssues,
  unrepresentableNumberPaths,
  withoutBidiControls,
  type JsonObject,
} from '@countersign/shared';

const MEMBER_NAMES = Object.getOwnPropertyNames(Object.prototype);
/** An object whose keys are all own, "__proto__" included (as JSON.parse makes it). */
const parse = (text: string) => JSON.parse(text) as JsonObject;

describe('applyMergePatch (RFC 7396)', () => {
  // RFC 7396, Appendix A, for every case whose patch is an object (a decision's patch always is).
  it.each([
    ['{"a":"b"}', '{"a":"c"}', '{"a":"c"}'],
    ['{"a":"b"}', '{"b":"c"}', '{"a":"b","b":"c"}'],
    ['{"a":"b"}', '{"a":null}', '{}'],
    ['{"a":"b","b":"c"}', '{"a":null}', '{"b":"c"}'],
    ['{"a":["b"]}', '{"a":"c"}', '{"a":"c"}'],
    ['{"a":"c"}', '{"a":["b"]}', '{"a":["b"]}'],
    ['{"a":{"b":"c"}}', '{"a":{"b":"d","c":null}}', '{"a":{"b":"d"}}'],
    ['{"a":[{"b":"c"}]}', '{"a":[1]}', '{"a":[1]}'],
    ['{"e":null}', '{"a":1}', '{"e":null,"a":1}'],
    ['[1,2]', '{"a":"b","c":null}', '{"a":"b"}'],
    ['{}', '{"a":{"bb":{"ccc":null}}}', '{"a":{"bb":{}}}'],
  ])('%s patched with %s is %s', (target, patch, result) => {
    expect(applyMergePatch(JSON.parse(target), parse(patch))).toEqual(JSON.parse(result));
  });

  it('changes neither of its inputs and keeps the key order, added keys last', () => {
    const details = { ticketId: '1', amount: '49.00', address: { city: 'Oslo' } };
    const patch = { address: { zip: '0150' }, coupon: 'X', amount: '25.00' };
    const copy = structuredClone({ details, patch });
    expect(Object.keys(applyMergePatch(details, patch))).toEqual(['ticketId', 'amount', 'address', 'coupon']);
    expect({ details, patch }).toEqual(copy);
  });

  it.each(MEMBER_NAMES)('treats a "%s" key as a plain own key, never the inherited member', (name) => {
    const result = applyMergePatch(parse('{"a":1}'), parse(`{${JSON.stringify(name)}:{"x":null,"y":2}}`));
    expect(Object.getOwnPropertyDescriptor(result, name)?.value).toEqual({ y: 2 });
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    const removed = applyMergePatch(parse(`{${JSON.stringify(name)}:"v","a":1}`), parse(`{${JSON.stringify(name)}:null}`));
    expect(Object.keys(removed)).toEqual(['a']);
    expect(({} as Record<string, unknown>).y).toBeUndefined();
  });
});

const jsonValue = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<unknown>;
const keyName = fc.oneof(fc.constantFrom(...MEMBER_NAMES, 'a', 'b', 'c.d'), fc.string({ maxLength: 4 }));
const detailsObject = fc.dictionary(keyName, jsonValue, { maxKeys: 6 }).map((o) => parse(JSON.stringify(o)));

/** No null inside an object: those a merge patch reads as "remove" (see mergePatchBetween). */
function withoutObjectNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutObjectNulls(v)]));
}

describe('mergePatchBetween', () => {
  it('gives a patch that turns before into after', () => {
    fc.assert(
      fc.property(detailsObject, detailsObject, (before, rawAfter) => {
        const after = parse(JSON.stringify(withoutObjectNulls(rawAfter)));
        expect(applyMergePatch(before, mergePatchBetween(before, after))).toEqual(after);
      }),
      { numRuns: 500 },
    );
  });

  it('holds only what changed: nothing for equal objects, nested patches for nested changes, null for removals', () => {
    const before = { a: 1, b: { c: 'x', d: [1, 2] }, e: 'gone' };
    expect(mergePatchBetween(before, structuredClone(before))).toEqual({});
    expect(mergePatchBetween(before, { a: 1, b: { d: [1, 2], c: 'y' } })).toEqual({ b: { c: 'y' }, e: null });
    expect(mergePatchBetween(before, { ...before, b: { c: 'x', d: [2] }, f: true })).toEqual({ b: { d: [2] }, f: true });
  });
});

describe('detailChanges', () => {
  it('recurses into objects on both sides, compares arrays and scalars whole, omits from/to for added/removed keys', () => {
    const before = { amount: '49.00', address: { city: 'Oslo', zip: '0150' }, items: [{ sku: 'A' }], coupon: 'X', list: [1] };
    const after = { amount: '25.00', address: { city: 'Bergen', zip: '0150', floor: 2 }, items: [{ sku: 'B' }], list: { n: 1 }, gift: true };
    expect(detailChanges(before, after)).toEqual([
      { path: 'amount', from: '49.00', to: '25.00' },
      { path: 'address.city', from: 'Oslo', to: 'Bergen' },
      { path: 'address.floor', to: 2 },
      { path: 'items', from: [{ sku: 'A' }], to: [{ sku: 'B' }] },
      { path: 'coupon', from: 'X' },
      { path: 'list', from: [1], to: { n: 1 } },
      { path: 'gift', to: true },
    ]);
    expect(detailChanges(before, before)).toEqual([]);
  });

  it('copes with a nested object of 200,000 changed keys', () => {
    const wide = (value: number) => ({ o: Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, value])) });
    expect(detailChanges(wide(1), wide(2))).toHaveLength(200_000);
  });

  it('ignores key order inside objects', () => {
    expect(detailChanges({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).toEqual([]);
    expect(detailChanges({ a: [{ x: 1, y: 2 }] }, { a: [{ y: 2, x: 1 }] })).toEqual([]);
  });

  it.each(MEMBER_NAMES)('reads only own keys: "%s" present on one side only is an addition or removal', (name) => {
    const key = JSON.stringify(name);
    expect(detailChanges(parse('{"a":1}'), parse(`{"a":1,${key}:"x"}`))).toEqual([{ path: name, to: 'x' }]);
    expect(detailChanges(parse(`{"a":1,${key}:"x"}`), parse('{"a":1}'))).toEqual([{ path: name, from: 'x' }]);
    expect(detailChanges(parse(`{"o":{${key}:1}}`), parse('{"o":{}}'))).toEqual([{ path: `o.${name}`, from: 1 }]);
  });
});

describe('editedDetailValue: typed text as a value of the original’s kind', () => {
  it.each([
    ['text stays text, as typed', 'x', ' 42 ', ' 42 '],
    ['a number from a plain decimal', 49.99, ' 25 ', 25],
    ['negative and fractional numbers', 1, '-.5', -0.5],
    ['the largest safe integer', 1, '9007199254740991', 9007199254740991],
    ['booleans, any case', false, ' TRUE ', true],
    ['an array from a JSON array', [1], '[2, 3]', [2, 3]],
    ['an object from a JSON object', { a: 1 }, '{"a": 2, "b": [null]}', { a: 2, b: [null] }],
    ['null stays null when left empty', null, '  ', null],
    ['null becomes the JSON typed', null, '7', 7],
    ['null becomes the text when it is not JSON', null, 'SPRING 10', 'SPRING 10'],
  ])('%s', (_label, original, typed, value) => {
    expect(editedDetailValue(original, typed)).toEqual({ ok: true, value });
  });

  it('an object may keep a null the original already had there', () => {
    expect(editedDetailValue({ a: null, b: 1 }, '{"a": null, "b": 2}')).toEqual({ ok: true, value: { a: null, b: 2 } });
  });

  it.each([
    ['twelve', 10, 'twelve', 'not_a_number'],
    ['an exponent', 10, '1e3', 'not_a_number'],
    ['a comma decimal', 10, '12,50', 'not_a_number'],
    ['an empty number', 10, '', 'not_a_number'],
    ['a quoted number', 10, '"20"', 'not_a_number'],
    ['digits beyond 2^53 − 1', 10, '99999999999999999999', 'unrepresentable_number'],
    ['2^53 itself', 10, '9007199254740992', 'unrepresentable_number'],
    ['a huge number inside JSON', [1], '[1e400]', 'unrepresentable_number'],
    ['a huge integer for a null', null, '12345678901234567890', 'unrepresentable_number'],
    ['yes for a boolean', true, 'yes', 'not_true_or_false'],
    ['broken JSON', [1], '[1, 2', 'invalid_json'],
    ['an object for an array', [1], '{"a":1}', 'not_an_array'],
    ['an array for an object', { a: 1 }, '["a"]', 'not_an_object'],
    ['a "__proto__" key', { a: 1 }, '{"__proto__":{"admin":true}}', 'forbidden_key'],
    ['a nested "__proto__" key for a null', null, '{"a":[{"__proto__":1}]}', 'forbidden_key'],
    ['nesting beyond the limit', [1], `${'['.repeat(32)}${']'.repeat(32)}`, 'too_deep'],
    ['a null a merge patch would read as removal', { a: 'x' }, '{"a": null}', 'null_removes'],
    ['a nested null for a null original', null, '{"a": {"b": null}}', 'null_removes'],
  ])('refuses %s', (_label, original, typed, problem) => {
    expect(editedDetailValue(original, typed)).toEqual({ ok: false, problem });
  });

  it('does not overflow the stack on hostile nesting or hostile width', () => {
    expect(editedDetailValue([1], `${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toMatchObject({ ok: false });
    expect(editedDetailValue([1], `[${'0,'.repeat(300_000)}0]`)).toMatchObject({ ok: true });
    expect(editedDetailValue({ a: 1 }, `{"a":[${'{},'.repeat(300_000)}{"__proto__":1}]}`)).toEqual({ ok: false, problem: 'forbidden_key' });
  });
});

describe('numbers JSON cannot carry', () => {
  it('is a non-finite number or an integer beyond ±(2^53 − 1)', () => {
    for (const n of [0, -0, 0.1, 1.5, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1e-300, Number.MIN_VALUE]) expect(isRepresentableNumber(n), String(n)).toBe(true);
    for (const n of [Infinity, -Infinity, NaN, 2 ** 53, -(2 ** 53), 1e20, 1e308]) expect(isRepresentableNumber(n), String(n)).toBe(false);
  });

  it('are found with their paths in document order, and only up to the limit', () => {
    const value = JSON.parse('{"a":1e400,"b":[1,{"c":99999999999999999999}],"d":{"e":-1e999},"f":"1e400"}');
    expect(unrepresentableNumberPaths(value)).toEqual([['a'], ['b', 1, 'c'], ['d', 'e']]);
    expect(unrepresentableNumberPaths(value, 1)).toEqual([['a']]);
  });

  it('are issues of the JSON-object fields, coded unrepresentable_number, with each path', () => {
    const intake = IntakeBody.safeParse({ action: 'a', summary: 's', details: { n: Infinity, ok: 2 }, metadata: { m: [2 ** 60] } });
    expect(intake.success).toBe(false);
    expect(toErrorIssues(intake.error!.issues).map(({ code, path }) => ({ code, path }))).toEqual([
      { code: 'unrepresentable_number', path: ['details', 'n'] },
      { code: 'unrepresentable_number', path: ['metadata', 'm', 0] },
    ]);
    const decision = DecisionBody.safeParse({ decision: 'approve', reviewer: { id: '1', name: 'A', via: 'api' }, modifiedDetails: { x: -Infinity } });
    expect(toErrorIssues(decision.error!.issues)).toMatchObject([{ code: 'unrepresentable_number', path: ['modifiedDetails', 'x'], message: expect.stringContaining('send it as a string') }]);
  });
});

describe('the typed client and numbers JSON cannot carry', () => {
  it('refuses them with the server’s 422 before sending anything (JSON.stringify would turn Infinity into null)', async () => {
    const sent: unknown[] = [];
    const client = new CountersignClient(async (request) => {
      sent.push(request);
      return { status: 500, header: () => null, body: null };
    });
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as CountersignApiError);
    const created = await refusal(client.createApproval({ action: 'a', summary: 's', details: { amount: Infinity }, metadata: { id: 2 ** 60 } }));
    expect(created).toBeInstanceOf(CountersignApiError);
    expect(created).toMatchObject({ status: 422, code: 'unrepresentable_number' });
    expect((created!.body as { error: { issues: Array<{ path: unknown }> } }).error.issues.map((issue) => issue.path)).toEqual([['details', 'amount'], ['metadata', 'id']]);
    const decided = await refusal(client.decide('apr_x', { decision: 'approve', reviewer: { id: '1', name: 'A', via: 'api' }, modifiedDetails: { n: -Infinity } }));
    expect(decided).toMatchObject({ status: 422, code: 'unrepresentable_number' });
    expect(sent).toEqual([]);
  });
});

describe('withoutBidiControls', () => {
  it('removes the embedding, override and isolate controls and the direction marks, nothing else', () => {
    expect(withoutBidiControls('acct moc.live@\u202Eenaj')).toBe('acct moc.live@enaj');
    expect(withoutBidiControls('\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C')).toBe('');
    expect(withoutBidiControls('שלום مرحبا 👩‍👩‍👧 e\u0301 \u200d')).toBe('שלום مرحبا 👩‍👩‍👧 e\u0301 \u200d');
  });
});
