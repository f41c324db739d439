// Edits keep the kind of each original value; what cannot be read as that kind is a named problem.
import { describe, expect, it } from 'vitest';
import { applyDetailEdits, readNote, reviewerFrom, UNNAMED_TEAMMATE } from '@countersign/intercom-canvas';

const details = { orderId: '1234', amount: 49.99, notify: true, items: [{ sku: 'A-1' }], address: { city: 'Oslo' }, coupon: null };

describe('applyDetailEdits', () => {
  it('keeps every value when nothing changed (inputs may come back trimmed)', () => {
    const unchanged = { 'detail:orderId': ' 1234 ', 'detail:amount': '49.99', 'detail:notify': 'true', 'detail:items': '[{"sku":"A-1"}]' };
    expect(applyDetailEdits(details, unchanged)).toMatchObject({ ok: true, modifiedDetails: undefined });
  });

  it('returns the full details with the edits applied, each of its original kind', () => {
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
      modifiedDetails: { orderId: '5678', amount: 20, notify: false, items: [{ sku: 'B-2', qty: 1 }], address: { city: 'Bergen' }, coupon: 'SPRING' },
      typed: expect.any(Object),
    });
  });

  it('a string stays a string even when it looks like a number', () => {
    expect(applyDetailEdits(details, { 'detail:orderId': '42' })).toMatchObject({ ok: true, modifiedDetails: { orderId: '42' } });
  });

  it('a null may become any JSON value, or text', () => {
    expect(applyDetailEdits(details, { 'detail:coupon': '7' })).toMatchObject({ modifiedDetails: { coupon: 7 } });
    expect(applyDetailEdits(details, { 'detail:coupon': '' })).toMatchObject({ modifiedDetails: undefined });
  });

  it.each([
    ['amount', 'lots', '“amount” must be a number, like 42 or 12.5.'],
    ['amount', '1e999', '“amount” must be a number, like 42 or 12.5.'],
    ['amount', '"20"', '“amount” must be a number, like 42 or 12.5.'],
    ['notify', 'yes', '“notify” must be true or false.'],
    ['items', '{"sku":"B"}', '“items” must be a JSON array, like ["a", "b"].'],
    ['address', '["Oslo"]', '“address” must be a JSON object, like {"key": "value"}.'],
    ['address', '{"__proto__":{"admin":true}}', '“address” must be a JSON object, like {"key": "value"}.'],
    ['items', `${'['.repeat(40)}${']'.repeat(40)}`, '“items” nests deeper than 31 levels.'],
    ['orderId', 'x'.repeat(2001), '“orderId” is longer than 2000 characters.'],
  ])('refuses %s = %s, naming the field', (key, typed, message) => {
    const edits = applyDetailEdits(details, { [`detail:${key}`]: typed });
    expect(edits).toMatchObject({ ok: false, problems: [{ key, message }], typed: { [key]: typed } });
  });

  it('edits only keys of the details: extra inputs and non-string values are ignored', () => {
    const edits = applyDetailEdits(details, { 'detail:admin': 'true', 'detail:amount': ['5'], note: 'hi', constructor: 'x' });
    expect(edits).toMatchObject({ ok: true, modifiedDetails: undefined });
  });

  it('a "__proto__" detail key stays a plain key of modifiedDetails', () => {
    const hostile = JSON.parse('{"__proto__": "a", "b": 1}') as Record<string, unknown>;
    const edits = applyDetailEdits(hostile, { 'detail:__proto__': 'changed' });
    expect(edits.ok && Object.getPrototypeOf(edits.modifiedDetails)).toBe(Object.prototype);
    expect(edits.ok && Object.entries(edits.modifiedDetails ?? {})).toEqual([['__proto__', 'changed'], ['b', 1]]);
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
