// What the sidebar takes from Zendesk: the agent's language, the colour scheme, the iframe size and
// the moments worth refreshing.
import { afterEach, describe, expect, test } from 'vitest';
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { approval } from './support/fake-countersign';
import { AGENT } from './support/fake-zaf-client';
import { renderSidebar } from './support/render-sidebar';

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});

describe('locale', () => {
  test('a German agent gets German labels and German dates', async () => {
    renderSidebar([approval({ riskLevel: 'low' }), approval({ status: 'approved', decidedBy: { id: '3', name: 'Sam', via: 'zendesk' }, decidedAt: '2026-11-23T11:00:00.000Z' })], {
      user: { ...AGENT, locale: 'de-DE' },
    });
    const card = await screen.findByTestId('approval-card');
    for (const name of ['Freigeben', 'Ablehnen', 'Bearbeiten']) expect(within(card).getByRole('button', { name })).toBeTruthy();
    expect(within(card).getByTestId('risk-tag').textContent).toBe('Geringes Risiko');
    expect(within(card).getByText(/^Läuft ab am .*2026/)).toBeTruthy();
    expect(within(screen.getByTestId('decided-card')).getByTestId('decided-by').textContent).toMatch(/^Freigegeben von Sam am \d/);

    await userEvent.click(within(card).getByTestId('edit-button'));
    expect(screen.getByRole('button', { name: 'Mit Änderungen freigeben' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Abbrechen' })).toBeTruthy();
  });

  test('an unknown regional variant falls back to its language, an unknown language to English', async () => {
    renderSidebar([approval()], { user: { ...AGENT, locale: 'de-CH' } });
    expect(await screen.findByRole('button', { name: 'Freigeben' })).toBeTruthy();
    cleanup();
    renderSidebar([approval()], { user: { ...AGENT, locale: 'ja' } });
    expect(await screen.findByRole('button', { name: 'Approve' })).toBeTruthy();
  });
});

describe('colour scheme', () => {
  test('follows Zendesk dark mode, and switches live on colorScheme.changed', async () => {
    const { client } = renderSidebar([approval()], { colorScheme: 'dark' });
    const root = screen.getByTestId('sidebar-root');
    await waitFor(() => expect(root.dataset.colorScheme).toBe('dark'));
    await screen.findByTestId('approval-card');
    // Both the page and the app's root turn dark, not only Garden's components.
    expect(brightness(document.body.style.backgroundColor)).toBeLessThan(60);
    expect(brightness(document.body.style.color)).toBeGreaterThan(180);
    expect(brightness(getComputedStyle(root).backgroundColor)).toBeLessThan(60);

    act(() => client.fire('colorScheme.changed', 'light'));
    expect(root.dataset.colorScheme).toBe('light');
    expect(brightness(document.body.style.backgroundColor)).toBeGreaterThan(240);
    expect(brightness(getComputedStyle(root).backgroundColor)).toBeGreaterThan(240);

    act(() => client.fire('colorScheme.changed', 'dark'));
    expect(root.dataset.colorScheme).toBe('dark');
  });

  test('reads the scheme from the iframe URL when Zendesk does not answer colorScheme', async () => {
    window.history.replaceState(null, '', '/?origin=https%3A%2F%2Facme.zendesk.com&app_guid=abc&colorScheme=dark');
    renderSidebar([approval()], { colorScheme: null });
    expect(screen.getByTestId('sidebar-root').dataset.colorScheme).toBe('dark');
    await screen.findByTestId('approval-card');
    expect(screen.getByTestId('sidebar-root').dataset.colorScheme).toBe('dark');
  });
});

describe('host integration', () => {
  test('resizes the iframe to the content height', async () => {
    const { client } = renderSidebar([approval()]);
    await screen.findByTestId('approval-card');
    await waitFor(() => expect(client.invoke).toHaveBeenCalledWith('resize', expect.objectContaining({ width: '100%' })));
    const [, size] = client.invoke.mock.calls.find(([name]) => name === 'resize')!;
    expect((size as { height: string }).height).toMatch(/^\d+px$/);
  });

  test('refreshes when the ticket is updated or the app is activated again', async () => {
    const pending = approval();
    const { api, client } = renderSidebar([pending]);
    await screen.findByTestId('approval-card');
    expect(client.listeners('ticket.updated')).toBe(1);

    const arriving = approval({ summary: 'A second request arrived' });
    api.approvals.unshift(arriving);
    act(() => client.fire('ticket.updated'));
    expect(await screen.findByText('A second request arrived')).toBeTruthy();

    api.decideElsewhere(pending.approvalId, 'approved', 'Sam Supervisor');
    act(() => client.fire('app.activated'));
    await waitFor(() => expect(screen.getAllByTestId('approval-card')).toHaveLength(1));
    expect(screen.getByTestId('decided-card').dataset.approvalId).toBe(pending.approvalId);
  });

  test('stops listening to Zendesk events when unmounted', async () => {
    const { client, unmount } = renderSidebar([approval()]);
    await screen.findByTestId('approval-card');
    unmount();
    expect(client.listeners('ticket.updated')).toBe(0);
    expect(client.listeners('colorScheme.changed')).toBe(0);
  });
});

/** Mean of the RGB channels of a #rgb, #rrggbb or rgb() colour. */
function brightness(cssColor: string): number {
  const hex = /^#([\da-f]{3}|[\da-f]{6})$/i.exec(cssColor.trim())?.[1];
  const channels = hex
    ? (hex.length === 3 ? [...hex].map((digit) => digit + digit) : (hex.match(/../g) ?? [])).map((pair) => parseInt(pair, 16))
    : (cssColor.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  expect(channels, `colour ${cssColor}`).toHaveLength(3);
  return channels.reduce((sum, channel) => sum + channel, 0) / 3;
}
