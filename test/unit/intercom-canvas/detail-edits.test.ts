// Edits keep the kind of each original value (the shared detail-edit rule); what cannot be read as
// that kind is a named problem; what is sent is a merge patch of only what changed.
import { describe, expect, it } from 'vitest';
import { applyDetailEdits, readNote, reviewerFrom, UNNAMED_TEAMMATE } from '@countersign/intercom-canvas';

const details = { orderId: '1234', amount: 49.99, notify: true, items: [{ sku: 'A-1' }], address: { city: 'Oslo' }, coupon: null };

describe('applyDetailEdits', () => {
  it('keeps every value when nothing changed (inputs may come back trimmed)', () => {
    const unchanged = { 'detail:orderId': ' 1234 ', 'detail:amount': '49.99', 'detail:notify': 'true', 'detail:items': '[{"sku":"A-1"}]' };
    expect(applyDetailEdits(details, unchanged)).toMatchObject({ ok: true, patch: undefined });
  });

  it('returns a merge patch of the edits, each of its original kind', () => {
    const edits = applyDetailEdits(details, {
      'detail:orderId': '5678',
      'detail:amount': ' 20 ',
      'detail:notify': 'FALSE',
      'detail:items': '[{"sku":"B-2","qty":1}]',
      'detail:address': '{"city":"Bergen"}',
      'detail:coupon': 'SPRING',
    });
    expect(edits).toEqual({
      ok: true,
      patch: { orderId: '5678', amount: 20, notify: false, items: [{ sku: 'B-2', qty: 1 }], address: { city: 'Bergen' }, coupon: 'SPRING' },
      typed: expect.any(Object),
    });
  });

  it('sends only the edited keys, and nested changes as nested patches', () => {
    const wide = { ...details, address: { city: 'Oslo', zip: '0150' } };
    expect(applyDetailEdits(wide, { 'detail:amount': '20', 'detail:address': '{"city":"Oslo"}' })).toMatchObject({ ok: true, patch: { amount: 20, address: { zip: null } } });
  });

  it('a string stays a string even when it looks like a number', () => {
    expect(applyDetailEdits(details, { 'detail:orderId': '42' })).toMatchObject({ ok: true, patch: { orderId: '42' } });
  });

  it('a null may become any JSON value, or text', () => {
    expect(applyDetailEdits(details, { 'detail:coupon': '7' })).toMatchObject({ patch: { coupon: 7 } });
    expect(applyDetailEdits(details, { 'detail:coupon': 'SPRING 10' })).toMatchObject({ patch: { coupon: 'SPRING 10' } });
    expect(applyDetailEdits(details, { 'detail:coupon': '' })).toMatchObject({ patch: undefined });
  });

  it.each([
    ['amount', 'lots', '“amount” must be a number, like 42 or 12.5.'],
    ['amount', '1e999', '“amount” must be a number, like 42 or 12.5.'],
    ['amount', '"20"', '“amount” must be a number, like 42 or 12.5.'],
    ['amount', '99999999999999999999', '“amount” is too large a number to send exactly; use at most 15 digits.'],
    ['coupon', '12345678901234567890', '“coupon” is too large a number to send exactly; use at most 15 digits.'],
    ['items', '[1e400]', '“items” is too large a number to send exactly; use at most 15 digits.'],
    ['items', '[{"sku":', '“items” is not valid JSON.'],
    ['address', '{"city":null}', '“address” cannot set a field inside to null (null means “remove”); leave that field out instead.'],
    ['notify', 'yes', '“notify” must be true or false.'],
    ['items', '{"sku":"B"}', '“items” must be a JSON array, like ["a", "b"].'],
    ['address', '["Oslo"]', '“address” must be a JSON object, like {"key": "value"}.'],
    ['address', '{"__proto__":{"admin":true}}', '“address” may not contain a "__proto__" key.'],
    ['items', `${'['.repeat(40)}${']'.repeat(40)}`, '“items” nests deeper than 31 levels.'],
    ['orderId', 'x'.repeat(2001), '“orderId” is longer than 2000 characters.'],
  ])('refuses %s = %s, naming the field', (key, typed, message) => {
    const edits = applyDetailEdits(details, { [`detail:${key}`]: typed });
    expect(edits).toMatchObject({ ok: false, problems: [{ key, message }], typed: { [key]: typed } });
  });

  it('edits only keys of the details: extra inputs and non-string values are ignored', () => {
    const edits = applyDetailEdits(details, { 'detail:admin': 'true', 'detail:amount': ['5'], note: 'hi', constructor: 'x' });
    expect(edits).toMatchObject({ ok: true, patch: undefined });
  });

  it('a "__proto__" detail key stays a plain key of the patch', () => {
    const hostile = JSON.parse('{"__proto__": "a", "b": 1}') as Record<string, unknown>;
    const edits = applyDetailEdits(hostile, { 'detail:__proto__': 'changed' });
    expect(edits.ok && Object.getPrototypeOf(edits.patch)).toBe(Object.prototype);
    expect(edits.ok && Object.entries(edits.patch ?? {})).toEqual([['__proto__', 'changed']]);
  });

  it.each(Object.getOwnPropertyNames(Object.prototype))('a detail named "%s" is an ordinary detail', (name) => {
    const hostile = JSON.parse(`{${JSON.stringify(name)}: 1, "b": "x"}`) as Record<string, unknown>;
    expect(applyDetailEdits(hostile, {})).toMatchObject({ ok: true, patch: undefined });
    const edits = applyDetailEdits(hostile, { [`detail:${name}`]: '2', constructor: 'x', toString: 'y' });
    expect(edits.ok && Object.entries(edits.patch ?? {})).toEqual([[name, 2]]);
  });
});

describe('readNote', () => {
  it('trims, treats empty as no note, refuses more than 5000 characters', () => {
    expect(readNote({ note: '  Not this month.  ' })).toEqual({ ok: true, note: 'Not this month.' });
    expect(readNote({ note: '   ' })).toEqual({ ok: true, note: undefined });
    expect(readNote({})).toEqual({ ok: true, note: undefined });
    expect(readNote({ note: 'x'.repeat(5001) })).toMatchObject({ ok: false, problem: expect.stringContaining('5000') });
  });
});

describe('reviewerFrom', () => {
  it('is the signed admin, via intercom', () => {
    expect(reviewerFrom({ id: '991267696', name: 'Ana', email: 'ana@example.com' })).toEqual({ id: '991267696', name: 'Ana', email: 'ana@example.com', via: 'intercom' });
  });

  it('names a nameless admin, and drops an email that does not look like one', () => {
    expect(reviewerFrom({ id: '1', name: '  ', email: 'not an email' })).toEqual({ id: '1', name: UNNAMED_TEAMMATE, via: 'intercom' });
    expect(reviewerFrom({ id: '1' })).toEqual({ id: '1', name: UNNAMED_TEAMMATE, via: 'intercom' });
  });

  it('caps the name to Countersign’s 200 characters', () => {
    expect(reviewerFrom({ id: '1', name: 'n'.repeat(500) }).name.length).toBeLessThanOrEqual(200);
  });
});
