// The sidebar lists the ticket's approvals: pending ones as full cards, decided ones folded.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { approval, KEY_PLACEHOLDER, PUBLIC_URL } from './support/fake-countersign';
import { renderSidebar } from './support/render-sidebar';

afterEach(cleanup);

describe('listing', () => {
  test('shows a pending request with risk, action, summary, justification, requester and details', async () => {
    const pending = approval({
      riskLevel: 'critical',
      action: 'cancel_subscription',
      summary: 'Cancel the Premium plan',
      justification: 'Customer asked twice in writing.',
      agentName: 'Billing assistant',
      details: { plan: 'Premium', refundProrated: false, seats: 12, address: { city: 'Berlin', zip: '10115' } },
    });
    renderSidebar([pending]);

    const card = await screen.findByTestId('approval-card');
    expect(card.dataset.approvalId).toBe(pending.approvalId);
    expect(card.dataset.status).toBe('pending');
    const risk = within(card).getByTestId('risk-tag');
    expect(risk.textContent).toBe('Critical risk');
    expect(risk.dataset.risk).toBe('critical');
    expect(within(card).getByText('cancel_subscription')).toBeTruthy();
    expect(within(card).getByText('Cancel the Premium plan')).toBeTruthy();
    expect(within(card).getByText('Customer asked twice in writing.')).toBeTruthy();
    expect(within(card).getByText('Requested by Billing assistant')).toBeTruthy();
    expect(within(card).getByText(/^Expires /)).toBeTruthy();

    const table = within(card).getByTestId('details-table');
    const row = (key: string) => table.querySelector(`tr[data-detail-key="${key}"]`)!.querySelectorAll('td')[1]!.textContent;
    expect(row('plan')).toBe('Premium');
    expect(row('refundProrated')).toBe('false');
    expect(row('seats')).toBe('12');
    // Nested values are pretty-printed JSON text.
    expect(row('address')).toBe(JSON.stringify({ city: 'Berlin', zip: '10115' }, null, 2));
    for (const name of ['Approve', 'Reject', 'Edit']) expect(within(card).getByRole('button', { name })).toBeTruthy();
  });

  test('asks for all of this ticket\'s requests through the secure proxy with the key placeholder', async () => {
    const { api } = renderSidebar([approval()], { ticketId: 4512 });
    await screen.findByTestId('approval-card');
    const [request] = api.listRequests();
    expect(request).toMatchObject({
      type: 'GET',
      secure: true,
      cors: false,
      httpCompleteResponse: true,
      contentType: 'application/json',
      headers: { Authorization: KEY_PLACEHOLDER },
    });
    const url = new URL(request!.url);
    expect(url.origin).toBe(PUBLIC_URL);
    expect(Object.fromEntries(url.searchParams)).toEqual({ ticketId: '4512', limit: '50' });
    expect(request!.data).toBeUndefined();
  });

  test('colours risk tags by level', async () => {
    renderSidebar((['low', 'medium', 'high', 'critical'] as const).map((riskLevel) => approval({ riskLevel })));
    await waitFor(() => expect(screen.getAllByTestId('risk-tag')).toHaveLength(4));
    const colours = screen.getAllByTestId('risk-tag').map((tag) => getComputedStyle(tag).backgroundColor);
    expect(new Set(colours).size).toBe(4);
  });

  test('renders untrusted detail values as text, never as HTML', async () => {
    const attack = '<img src=x onerror=alert(1)>';
    renderSidebar([approval({ summary: attack, justification: attack, action: attack, details: { note: attack, nested: { html: attack } } })]);
    const card = await screen.findByTestId('approval-card');
    expect(document.querySelector('img')).toBeNull();
    expect(within(card).getAllByText(attack).length).toBeGreaterThanOrEqual(4);
    await userEvent.click(within(card).getByTestId('edit-button'));
    expect(document.querySelector('img')).toBeNull();
    expect((screen.getByTestId('detail-input-note') as HTMLInputElement).value).toBe(attack);
  });

  test('folds decided requests to outcome, who and when; expands to note and changes', async () => {
    const decided = approval({
      status: 'approved',
      decidedBy: { id: '99', name: 'Sam Supervisor', via: 'zendesk' },
      decidedAt: '2026-11-23T11:00:00.000Z',
      decisionNote: 'Checked with the warehouse.',
      details: { amount: 49.99, currency: 'EUR' },
      modifiedDetails: { amount: 25, currency: 'EUR' },
    });
    const expired = approval({ status: 'expired' });
    renderSidebar([approval(), decided, expired]);

    const cards = await screen.findAllByTestId('decided-card');
    expect(cards.map((card) => [card.dataset.approvalId, card.dataset.status])).toEqual([
      [decided.approvalId, 'approved'],
      [expired.approvalId, 'expired'],
    ]);
    const card = cards[0]!;
    const line = within(card).getByTestId('decided-by').textContent!;
    expect(line).toContain('Approved by Sam Supervisor');
    expect(line).toContain('2026');
    expect(within(card).queryByTestId('details-table')).toBeNull();
    expect(within(card).queryByText('Checked with the warehouse.')).toBeNull();

    const toggle = within(card).getByRole('button', { name: 'Show details' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(toggle);
    expect(within(card).getByText('Checked with the warehouse.')).toBeTruthy();
    expect(within(card).getByTestId('details-table')).toBeTruthy();
    const changes = within(card).getByTestId('changes-table');
    expect(changes.querySelectorAll('tr')).toHaveLength(1);
    expect(changes.textContent).toContain('amount');
    expect(changes.textContent).toContain('was 49.99');
    expect(within(card).getByRole('button', { name: 'Hide details' }).getAttribute('aria-expanded')).toBe('true');
    expect(within(cards[1]!).getByTestId('decided-by').textContent).toMatch(/^Expired on /);
  });

  test('shows an empty state when nothing waits for a decision', async () => {
    renderSidebar([approval({ status: 'rejected', decidedBy: { id: '1', name: 'Kim', via: 'api' }, decidedAt: '2026-11-23T11:00:00.000Z' })]);
    expect((await screen.findByTestId('empty-state')).textContent).toContain('Nothing waiting for approval');
    expect(screen.queryByTestId('approval-card')).toBeNull();
    expect(screen.getAllByTestId('decided-card')).toHaveLength(1);
  });

  test('shows a loading state until the list arrives', async () => {
    renderSidebar([approval()]);
    expect(screen.getByTestId('loading')).toBeTruthy();
    await screen.findByTestId('approval-card');
    expect(screen.queryByTestId('loading')).toBeNull();
  });

  test('lists only the open ticket\'s requests', async () => {
    const other = approval({ context: { platform: 'zendesk', ticketId: '999' } });
    const mine = approval();
    renderSidebar([other, mine], { ticketId: 4512 });
    const cards = await screen.findAllByTestId('approval-card');
    expect(cards.map((card) => card.dataset.approvalId)).toEqual([mine.approvalId]);
  });
});
