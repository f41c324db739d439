// Untrusted strings reach text components escaped: no link, bold or HTML can come from them, while
// the teammate still reads them as they were written.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approvalDetailCanvas,
  approvalListCanvas,
  conflictCanvas,
  decidedCanvas,
  editCanvas,
  escapeMarkdown,
  notConnectedCanvas,
  plainText,
  rejectCanvas,
  type CanvasObject,
} from '@countersign/intercom-canvas';
import { approvalView, decidedView } from './support/approvals';
import { texts } from './support/canvas-json';
import { inlineSyntax, unescapeMarkdown } from './support/inline-markdown';

const HOSTILE = '[click](https://evil.example) **bold** <img src=x> __under__ `code` www.evil.example ana@evil.example ![i](x)';

function hostileApproval() {
  return decidedView('rejected', {
    action: HOSTILE,
    summary: HOSTILE,
    justification: HOSTILE,
    agentName: HOSTILE,
    decisionNote: HOSTILE,
    decidedBy: { id: '1', name: HOSTILE, via: 'intercom' },
    details: { [HOSTILE]: HOSTILE, amount: 5 },
    modifiedDetails: { [HOSTILE]: `${HOSTILE}!`, amount: 5 },
  });
}

/** Every canvas that shows approval text, for one approval. */
function canvasesOf(approval: ReturnType<typeof approvalView>): CanvasObject[] {
  const options = { link: null, conversationId: '1' };
  const pending = { ...approval, status: 'pending' as const };
  return [
    approvalListCanvas([pending, approval], '1'),
    approvalDetailCanvas(pending, options),
    rejectCanvas(pending, options, { note: HOSTILE, problem: HOSTILE }),
    editCanvas(pending, options, { problems: [{ key: HOSTILE, message: `“${HOSTILE}” must be a number.` }], typed: {}, note: HOSTILE, noteProblem: HOSTILE }),
    decidedCanvas(approval, options),
    conflictCanvas(approval, options),
    notConnectedCanvas('https://countersign.test/install', HOSTILE),
  ];
}

/** The syntax found across a canvas's text components, summed. */
function syntaxOf(canvas: CanvasObject) {
  return texts(canvas)
    .map(inlineSyntax)
    .reduce((sum, found) => ({ links: sum.links + found.links, html: sum.html + found.html, bold: sum.bold + found.bold }), { links: 0, html: 0, bold: 0 });
}

describe('untrusted text in text components', () => {
  it('produces no link, bold or HTML: hostile canvases have exactly the syntax of benign ones', () => {
    const benign = decidedView('rejected', {
      action: 'plain',
      summary: 'plain',
      justification: 'plain',
      agentName: 'plain',
      decisionNote: 'plain',
      decidedBy: { id: '1', name: 'plain', via: 'intercom' },
      details: { plain: 'plain', amount: 5 },
      modifiedDetails: { plain: 'plain!', amount: 5 },
    });
    const hostile = canvasesOf(hostileApproval());
    const reference = canvasesOf(benign);
    hostile.forEach((canvas, index) => {
      expect(syntaxOf(canvas)).toEqual(syntaxOf(reference[index]!));
      expect(syntaxOf(canvas)).toMatchObject({ links: 0, html: 0 });
    });
  });

  it('keeps the hostile string readable: unescaped, it is what the automation sent', () => {
    const canvas = approvalDetailCanvas({ ...hostileApproval(), status: 'pending' }, { link: null, conversationId: '1' });
    expect(texts(canvas).map(unescapeMarkdown)).toEqual(expect.arrayContaining([HOSTILE, `**Justification:** ${HOSTILE}`]));
  });

  it('escapes the documented example to inert text', () => {
    expect(escapeMarkdown('[click](https://evil.example) **bold** <img src=x>')).toBe('\\[click\\]\\(https\\://evil.example\\) \\*\\*bold\\*\\* \\<img src=x\\>');
  });

  it('for any string: no syntax survives, and unescaping gives the string back', () => {
    const markdownish = fc.string({ unit: fc.constantFrom('[', ']', '(', ')', '*', '_', '`', '<', '>', '\\', '!', 'a', ' ', ':', '/', 'w', '.', '@', 'h', 't', 'p', 's', '\n', '~', '&', '#') });
    fc.assert(
      fc.property(fc.oneof(markdownish, fc.string({ unit: 'binary' })), (value) => {
        const escaped = escapeMarkdown(value);
        expect(unescapeMarkdown(escaped)).toBe(value);
        const found = inlineSyntax(escaped);
        expect(found).toEqual({ links: 0, html: 0, bold: 0 });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('plainText', () => {
  it('caps with an ellipsis and never splits a surrogate pair', () => {
    expect(plainText('abcdef', 4)).toBe('abc…');
    expect(plainText('abcd', 4)).toBe('abcd');
    const capped = plainText('ab😀😀😀', 4);
    expect(capped).toBe('ab…');
    expect(capped.length).toBeLessThanOrEqual(4);
  });

  it('removes bidi overrides that could reverse what the teammate reads', () => {
    expect(plainText('pay \u202Emoc.live\u202C now', 100)).toBe('pay moc.live now');
  });

  it('removes every embedding, override and isolate control and the invisible direction marks', () => {
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
    expect(plainText(`acct ${all}moc.live@\u202Eenaj`, 100)).toBe('acct moc.live@enaj');
  });

  it('strips them from every canvas that shows the approval', () => {
    const spoof = '\u2067acct moc.live@\u202Eenaj\u2069\u200f';
    const approval = decidedView('approved', {
      action: spoof, summary: spoof, justification: spoof, agentName: spoof, decisionNote: spoof,
      decidedBy: { id: '1', name: spoof, via: 'intercom' },
      details: { [spoof]: spoof, amount: 5 },
      modifiedDetails: { [spoof]: `${spoof}!`, amount: 5 },
    });
    for (const canvas of canvasesOf(approval)) expect(JSON.stringify(canvas)).not.toMatch(/\\u(061c|200e|200f|202[a-e]|206[6-9])|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/i);
  });

  it('marks a cut even when the removed controls made the rest short', () => {
    expect(plainText(`${'\u202E'.repeat(20)}hidden tail`, 5)).toBe('…');
  });
});
