// "Trojan Source" bidi controls: an automation's "acct moc.live@\u202Eenaj" would read as another
// address. Nothing the sidebar shows that came from the automation (or another reviewer) keeps them.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { approval } from './support/fake-countersign';
import { renderSidebar } from './support/render-sidebar';

afterEach(cleanup);

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const SPOOF = 'acct moc.live@\u202Eenaj';
const MARKED = `\u2067${SPOOF}\u2069\u200f`;

function shownText(): string {
  const inputs = [...document.querySelectorAll('input, textarea')].map((element) => (element as HTMLInputElement).value);
  return [document.body.textContent ?? '', ...inputs].join('\n');
}

describe('bidi controls from the automation', () => {
  test('are stripped from the pending card: action, summary, justification, agent, detail keys and values', async () => {
    renderSidebar([
      approval({
        action: `refund${MARKED}`,
        summary: `Refund ${MARKED}`,
        justification: `Because ${MARKED}`,
        agentName: `Bot ${MARKED}`,
        details: { [`email${MARKED}`]: SPOOF, nested: { to: MARKED } },
      }),
    ]);
    const card = await screen.findByTestId('approval-card');
    expect(card.textContent).toContain('acct moc.live@enaj');
    expect(shownText()).not.toMatch(BIDI);

    await userEvent.click(within(card).getByTestId('edit-button'));
    expect(screen.getByTestId('edit-form').textContent).toContain('acct moc.live@enaj');
    expect(shownText()).not.toMatch(BIDI);
  });

  test('an untouched value with bidi controls is not sent as an edit', async () => {
    const { api } = renderSidebar([approval({ details: { email: SPOOF, amount: 10 } })]);
    await userEvent.click(await screen.findByTestId('edit-button'));
    const amount = screen.getByTestId('detail-input-amount');
    await userEvent.clear(amount);
    await userEvent.type(amount, '12');
    await userEvent.click(screen.getByRole('button', { name: 'Approve with changes' }));
    await waitFor(() => expect(api.decisionRequests()).toHaveLength(1));
    expect(JSON.parse(api.decisionRequests()[0]!.data!).modifiedDetails).toEqual({ amount: 12 });
  });

  test('are stripped from a decided card: reviewer name, note, changes and the success notice', async () => {
    renderSidebar([
      approval({
        status: 'approved',
        action: `refund${MARKED}`,
        decidedBy: { id: '9', name: `Sam ${MARKED}`, via: 'zendesk' },
        decidedAt: '2026-11-23T11:00:00.000Z',
        decisionNote: `Note ${MARKED}`,
        details: { to: 'a@example.com' },
        modifiedDetails: { to: SPOOF },
      }),
    ]);
    const card = await screen.findByTestId('decided-card');
    await userEvent.click(within(card).getByRole('button', { name: 'Show details' }));
    expect(within(card).getByTestId('changes-table').textContent).toContain('acct moc.live@enaj');
    expect(card.textContent).toContain('Sam acct moc.live@enaj');
    expect(shownText()).not.toMatch(BIDI);
  });
});
