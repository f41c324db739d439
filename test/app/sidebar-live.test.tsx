// The sidebar follows Countersign's live stream: new requests and decisions taken elsewhere show at
// once, without polling while the stream delivers, and with polling whenever it cannot.
import { describe, expect, test, vi } from 'vitest';
import { act, screen, waitFor } from '@testing-library/react';
import type { ZafRequestOptions } from '../../zendesk-app/src/zaf/zaf-client';
import { approval, PUBLIC_URL } from './support/fake-countersign';
import { CLOSED, FakeEventSource } from './support/fake-event-source';
import { acceptedStream, fakeStreamForEachTest } from './support/fake-stream';
import { renderSidebar, SESSION_STORAGE_KEY, SIGNED_IN_AGENT } from './support/render-sidebar';

const card = (approvalId: string) => document.querySelector(`[data-testid=approval-card][data-approval-id="${approvalId}"]`);

fakeStreamForEachTest();

describe('the live sidebar', () => {
  test("opens the stream for this ticket, straight to Countersign, with the agent's session", async () => {
    renderSidebar([], { ticketId: 4512 });
    const kept = JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY)!).value as string;
    await screen.findByTestId('empty-state');
    const source = await acceptedStream();
    const url = new URL(source.url);
    expect(url.origin).toBe(PUBLIC_URL);
    expect(url.pathname).toBe('/api/approvals/stream');
    expect(Object.fromEntries(url.searchParams)).toEqual({ ticketId: '4512', session: kept });
    await waitFor(() => expect(screen.getByTestId('live-status').dataset.state).toBe('live'));
    expect(screen.getByTestId('live-status').textContent).toBe('Live');
  });

  test('shows a request posted while the sidebar is open as soon as the stream sends it, without asking for the list again', async () => {
    const { api } = renderSidebar([]);
    await screen.findByTestId('empty-state');
    const source = await acceptedStream();
    // Opening the stream reads the list once more, for what happened before it opened.
    await waitFor(() => expect(api.listRequests()).toHaveLength(2));
    const posted = approval({ summary: 'Refund posted just now' });
    act(() => source.send('approval.created', posted, '7'));
    expect(card(posted.approvalId)).not.toBeNull();
    expect(screen.getByText('Refund posted just now')).toBeTruthy();
    expect(screen.queryByTestId('empty-state')).toBeNull();
    expect(api.listRequests()).toHaveLength(2);
  });

  test('updates a request in place when it is decided elsewhere', async () => {
    const pending = approval();
    const other = approval();
    renderSidebar([pending, other]);
    await screen.findAllByTestId('approval-card');
    const source = await acceptedStream();
    act(() => source.send('approval.updated', { ...pending, status: 'approved', decidedBy: { id: '99', name: 'Sam Supervisor', via: 'zendesk' }, decidedAt: '2026-11-23T11:00:00.000Z' }, '8'));
    expect(card(pending.approvalId)).toBeNull();
    expect(card(other.approvalId)).not.toBeNull();
    const decided = screen.getByTestId('decided-card');
    expect(decided.dataset.approvalId).toBe(pending.approvalId);
    expect(decided.textContent).toContain('Approved by Sam Supervisor');
  });

  test("ignores what the stream says about other tickets' requests", async () => {
    renderSidebar([], { ticketId: 4512 });
    await screen.findByTestId('empty-state');
    const source = await acceptedStream();
    act(() => {
      source.send('approval.created', approval({ context: { platform: 'zendesk', ticketId: '999' } }), '9');
      source.send('approval.created', approval({ context: { platform: 'intercom', conversationId: '4512' } }), '10');
      source.send('approval.created', approval({ context: null }), '11');
    });
    expect(screen.queryAllByTestId('approval-card')).toHaveLength(0);
    expect(screen.getByTestId('empty-state')).toBeTruthy();
  });

  test('keeps a request the stream sent while a list was on its way, though the list predates it', async () => {
    const held: Array<() => void> = [];
    const { api, client } = renderSidebar([]);
    await screen.findByTestId('empty-state');
    // From now on list answers wait until the test lets them through.
    client.request.mockImplementation(async (options: ZafRequestOptions) => {
      if (new URL(options.url).pathname === '/api/approvals') await new Promise<void>((release) => held.push(release));
      return api.request(options);
    });
    const source = await acceptedStream(); // its list read is now held
    await waitFor(() => expect(held).toHaveLength(1));
    const posted = approval();
    act(() => source.send('approval.created', posted, '12'));
    expect(card(posted.approvalId)).not.toBeNull();
    await act(async () => held.shift()!());
    await waitFor(() => expect(api.listRequests()).toHaveLength(2));
    expect(card(posted.approvalId)).not.toBeNull();
  });

  test('polls every 20 s while there is no stream, not while it delivers, and again once it fails', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { api } = renderSidebar([], { signedIn: false });
    await screen.findByTestId('empty-state');
    expect(screen.getByTestId('live-status').dataset.state).toBe('offline');
    expect(api.listRequests()).toHaveLength(1);
    await act(async () => vi.advanceTimersByTime(20_000));
    await waitFor(() => expect(api.listRequests()).toHaveLength(2));

    // The agent confirms who they are in another frame of the app (the queue, another ticket's sidebar).
    act(() => {
      localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(api.issueSession(SIGNED_IN_AGENT)));
      window.dispatchEvent(new StorageEvent('storage', { key: SESSION_STORAGE_KEY }));
    });
    const source = await acceptedStream();
    await waitFor(() => expect(api.listRequests()).toHaveLength(3));
    await act(async () => vi.advanceTimersByTime(60_000));
    expect(api.listRequests()).toHaveLength(3);

    act(() => source.fail(CLOSED));
    expect(screen.getByTestId('live-status').dataset.state).toBe('offline');
    await act(async () => vi.advanceTimersByTime(20_000));
    await waitFor(() => expect(api.listRequests()).toHaveLength(4));
  });

  test('polls as before in a browser without EventSource', async () => {
    vi.stubGlobal('EventSource', undefined);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { api } = renderSidebar([]);
    await screen.findByTestId('empty-state');
    expect(screen.getByTestId('live-status').dataset.state).toBe('offline');
    await act(async () => vi.advanceTimersByTime(20_000));
    await waitFor(() => expect(api.listRequests()).toHaveLength(2));
  });

  test('closes the stream when the sidebar goes away', async () => {
    const { unmount } = renderSidebar([]);
    await screen.findByTestId('empty-state');
    const source = await acceptedStream();
    unmount();
    expect(source.closed).toBe(true);
    expect(FakeEventSource.open()).toHaveLength(0);
  });
});
