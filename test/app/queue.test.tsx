// The top-bar queue: every pending request this agent may decide, on any ticket, most urgent first,
// kept live by the stream, counted on the icon, announced by a Zendesk notification, opening the ticket.
import { describe, expect, test, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ApprovalView } from '@countersign/shared';
import { badgeSymbol } from '../../zendesk-app/src/queue/queue-badge';
import { preloadQueue } from '../../zendesk-app/src/queue/preload-queue';
import { QueueApp } from '../../zendesk-app/src/queue/QueueApp';
import { SessionKeeper } from '../../zendesk-app/src/sign-in/session-keeper';
import { belongsInQueue, byUrgency } from '../../zendesk-app/src/queue/urgency';
import type { ZafClient } from '../../zendesk-app/src/zaf/zaf-client';
import { approval, FakeCountersign, PUBLIC_URL } from './support/fake-countersign';
import { FakeEventSource } from './support/fake-event-source';
import { acceptedStream, fakeStreamForEachTest } from './support/fake-stream';
import { AGENT, createFakeZafClient } from './support/fake-zaf-client';
import { issuedSession, signedInKeeper } from './support/signed-in-keeper';

const HOUR = 3_600_000;
const MINUTE = 60_000;

const signedIn = (session?: string) => signedInKeeper(localStorage, session);

/** A request this agent may decide, on `ticketId`. */
function decidable(ticketId: string, overrides: Partial<ApprovalView> = {}): ApprovalView {
  return approval({ context: { platform: 'zendesk', ticketId }, canDecide: true, cannotDecideReason: null, ...overrides });
}

function renderQueue(approvals: ApprovalView[], { sessions = signedIn(), locale = 'en-US' }: { sessions?: SessionKeeper; locale?: string } = {}) {
  const api = new FakeCountersign(approvals);
  const client = createFakeZafClient({ request: api.request, user: { ...AGENT, locale } });
  const set = vi.fn(async (_path: string, _value: unknown) => undefined);
  client.set = set;
  render(<QueueApp client={client} publicUrl={PUBLIC_URL} reviewerSessions={sessions} />);
  return { api, client, set, sessions };
}

const listed = () => screen.getAllByTestId('queue-item').map((item) => item.dataset.approvalId);

fakeStreamForEachTest();

describe('the top-bar queue', () => {
  test('lists the pending requests this agent may decide, on any ticket, most urgent first', async () => {
    const soon = new Date(Date.now() + HOUR).toISOString();
    const later = new Date(Date.now() + 5 * HOUR).toISOString();
    const urgentLow = decidable('1', { priority: 'urgent', riskLevel: 'low' });
    const normalCriticalLater = decidable('2', { riskLevel: 'critical', expiresAt: later });
    const normalCriticalSoon = decidable('3', { riskLevel: 'critical', expiresAt: soon });
    const normalMedium = decidable('4', { riskLevel: 'medium' });
    const notMine = decidable('5', { canDecide: false, cannotDecideReason: 'Only the finance group may decide this.' });
    const decided = decidable('6', { status: 'approved' });
    const intercom = decidable('7', { context: { platform: 'intercom', conversationId: '7' } });
    const { api } = renderQueue([normalMedium, notMine, normalCriticalLater, decided, urgentLow, intercom, normalCriticalSoon]);
    await screen.findAllByTestId('queue-item');
    expect(listed()).toEqual([urgentLow, normalCriticalSoon, normalCriticalLater, normalMedium].map((item) => item.approvalId));
    expect(screen.getByTestId('queue-heading').textContent).toBe('Waiting for you (4)');
    const [request] = api.listRequests();
    expect(Object.fromEntries(new URL(request!.url).searchParams)).toEqual({ status: 'pending', limit: '100' });
  });

  test("asks Countersign with the agent's session, so canDecide is this agent's", async () => {
    const { api } = renderQueue([decidable('1')], { sessions: signedIn('queue-session') });
    await screen.findAllByTestId('queue-item');
    expect(api.listRequests()[0]!.headers).toMatchObject({ 'X-Countersign-Reviewer': 'queue-session', Authorization: 'Bearer {{setting.review_key}}' });
  });

  test('shows each request with its risk, action, summary, ticket, age and expiry', async () => {
    const item = decidable('4512', {
      riskLevel: 'high',
      priority: 'high',
      action: 'process_refund',
      summary: 'Refund order #1234',
      createdAt: new Date(Date.now() - 5 * MINUTE).toISOString(),
      expiresAt: new Date(Date.now() + 3 * HOUR + MINUTE).toISOString(),
    });
    renderQueue([item]);
    const entry = await screen.findByTestId('queue-item');
    expect(entry.dataset.ticketId).toBe('4512');
    expect(within(entry).getByTestId('risk-tag').dataset.risk).toBe('high');
    expect(within(entry).getByText('High priority')).toBeTruthy();
    expect(within(entry).getByText('process_refund')).toBeTruthy();
    expect(within(entry).getByText('Refund order #1234')).toBeTruthy();
    expect(within(entry).getByText('Ticket #4512')).toBeTruthy();
    expect(within(entry).getByTestId('queue-item-age').textContent).toBe('Requested 5 minutes ago');
    expect(within(entry).getByTestId('queue-item-expiry').textContent).toBe('Expires in 3 hours');
  });

  test("speaks the agent's language", async () => {
    renderQueue([decidable('1', { createdAt: new Date(Date.now() - 2 * HOUR).toISOString(), expiresAt: new Date(Date.now() + 2 * 24 * HOUR + MINUTE).toISOString() })], { locale: 'de' });
    const entry = await screen.findByTestId('queue-item');
    expect(screen.getByTestId('queue-heading').textContent).toBe('Warten auf Sie (1)');
    expect(within(entry).getByTestId('queue-item-age').textContent).toBe('Angefragt vor 2 Stunden');
    expect(within(entry).getByTestId('queue-item-expiry').textContent).toBe('Läuft ab übermorgen');
  });

  test('opens the ticket on a click and closes the popover', async () => {
    const { client } = renderQueue([decidable('4512')]);
    await userEvent.click(await screen.findByTestId('queue-item'));
    expect(client.invoke).toHaveBeenCalledWith('routeTo', 'ticket', '4512');
    expect(client.invoke).toHaveBeenCalledWith('popover', 'hide');
  });

  test('adds a new request the agent may decide as it arrives, counts it on the icon and announces it', async () => {
    const { client, set } = renderQueue([decidable('1')]);
    await screen.findAllByTestId('queue-item');
    await waitFor(() => expect(set).toHaveBeenLastCalledWith('iconSymbol', 'count-1'));
    const source = await acceptedStream();
    expect(source.query.has('ticketId')).toBe(false);
    const arrived = decidable('77', { priority: 'urgent', summary: 'Cancel the Premium plan' });
    act(() => source.send('approval.created', arrived, '5'));
    expect(listed()[0]).toBe(arrived.approvalId);
    expect(screen.getByTestId('queue-heading').textContent).toBe('Waiting for you (2)');
    await waitFor(() => expect(set).toHaveBeenLastCalledWith('iconSymbol', 'count-2'));
    expect(client.invoke).toHaveBeenCalledWith('notify', 'Countersign: a new request waits for you on ticket #77: Cancel the Premium plan', 'notice');
  });

  test('drops a request once it is decided, or the agent may no longer decide it', async () => {
    const first = decidable('1');
    const second = decidable('2');
    const { set } = renderQueue([first, second]);
    await screen.findAllByTestId('queue-item');
    const source = await acceptedStream();
    act(() => source.send('approval.updated', { ...first, status: 'approved' }, '6'));
    expect(listed()).toEqual([second.approvalId]);
    act(() => source.send('approval.updated', { ...second, canDecide: false, cannotDecideReason: 'You already approved this request.' }, '7'));
    expect(screen.queryAllByTestId('queue-item')).toHaveLength(0);
    expect(screen.getByTestId('queue-empty')).toBeTruthy();
    await waitFor(() => expect(set).toHaveBeenLastCalledWith('iconSymbol', 'default'));
  });

  test('announces neither a request it already listed nor one the agent may not decide', async () => {
    const known = decidable('1');
    const { client } = renderQueue([known]);
    await screen.findAllByTestId('queue-item');
    const source = await acceptedStream();
    act(() => {
      source.send('approval.created', known, '8'); // replayed after a reconnect
      source.send('approval.created', decidable('2', { canDecide: false }), '9');
      source.send('approval.updated', decidable('3'), '10'); // not new: no announcement
    });
    expect(client.invoke.mock.calls.filter(([name]) => name === 'notify')).toEqual([]);
    expect(listed()).toHaveLength(2);
  });

  test("escapes the markup in the automation's text in the notification, and only that", async () => {
    const { client } = renderQueue([]);
    await screen.findByTestId('queue-empty');
    const source = await acceptedStream();
    act(() => source.send('approval.created', decidable('9', { summary: `<img src=x onerror=alert(1)> 'Premium' & "co"` }), '11'));
    const [, message] = client.invoke.mock.calls.find(([name]) => name === 'notify')!;
    expect(message).toBe(`Countersign: a new request waits for you on ticket #9: &#60;img src=x onerror=alert(1)&#62; 'Premium' &#38; "co"`);
  });

  test('asks the agent to confirm who they are when there is no session, and fills in once there is one', async () => {
    const sessions = new SessionKeeper(localStorage);
    const { api } = renderQueue([decidable('1')], { sessions });
    expect((await screen.findByTestId('queue-signed-out')).textContent).toContain('Confirm who you are first');
    expect(api.listRequests()).toHaveLength(0);
    expect(FakeEventSource.instances).toHaveLength(0);
    act(() => void sessions.keep(issuedSession('signed-in-in-the-sidebar')));
    await screen.findAllByTestId('queue-item');
    expect(FakeEventSource.latest().query.get('session')).toBe('signed-in-in-the-sidebar');
  });

  test('polls every 30 s while the stream is unavailable', async () => {
    vi.stubGlobal('EventSource', undefined);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { api } = renderQueue([decidable('1')]);
    await screen.findAllByTestId('queue-item');
    expect(screen.getByTestId('queue').dataset.stream).toBe('offline');
    const before = api.listRequests().length;
    await act(async () => vi.advanceTimersByTime(30_000));
    await waitFor(() => expect(api.listRequests().length).toBe(before + 1));
  });

  test('reads the list again when the agent comes back to the pane', async () => {
    const { api, client } = renderQueue([decidable('1')]);
    await screen.findAllByTestId('queue-item');
    const before = api.listRequests().length;
    act(() => client.fire('pane.activated'));
    await waitFor(() => expect(api.listRequests().length).toBe(before + 1));
  });

  test('shows that Countersign cannot be reached, with a retry', async () => {
    const { api } = renderQueue([decidable('1')]);
    api.outage = { status: 0 };
    expect((await screen.findByTestId('notice')).dataset.kind).toBe('unreachable');
    api.outage = null;
    await userEvent.click(screen.getByTestId('notice-retry'));
    await screen.findAllByTestId('queue-item');
  });
});

describe('queue rules', () => {
  test('a request belongs in the queue while pending, decidable by this agent and on a Zendesk ticket', () => {
    expect(belongsInQueue(decidable('1'))).toBe(true);
    expect(belongsInQueue(decidable('1', { canDecide: false }))).toBe(false);
    expect(belongsInQueue(decidable('1', { canDecide: undefined }))).toBe(false);
    expect(belongsInQueue(decidable('1', { status: 'expired' }))).toBe(false);
    expect(belongsInQueue(decidable('1', { context: null }))).toBe(false);
  });

  test('urgency: priority, then risk, then the soonest expiry', () => {
    const at = (hours: number) => new Date(Date.UTC(2026, 10, 23) + hours * HOUR).toISOString();
    const items = [
      decidable('a', { priority: 'low', riskLevel: 'critical' }),
      decidable('b', { priority: 'high', riskLevel: 'low', expiresAt: at(2) }),
      decidable('c', { priority: 'high', riskLevel: 'low', expiresAt: at(1) }),
      decidable('d', { priority: 'high', riskLevel: 'high' }),
    ];
    expect([...items].sort(byUrgency).map((item) => item.context?.platform === 'zendesk' && item.context.ticketId)).toEqual(['d', 'c', 'b', 'a']);
  });

  test('the icon shows no badge at 0, the count up to 9, then 9+', () => {
    expect([0, 1, 9, 10, 250].map(badgeSymbol)).toEqual(['default', 'count-1', 'count-9', 'count-9plus', 'count-9plus']);
  });
});

describe('preloading the queue from the background location', () => {
  test("asks Zendesk to load the top bar's pane ahead of time", async () => {
    const topBar = { invoke: vi.fn(async () => undefined) };
    const client = {
      ...createFakeZafClient({ request: async () => ({}) }),
      get: vi.fn(async () => ({ instances: { 'guid-sidebar': { location: 'ticket_sidebar' }, 'guid-top': { location: 'top_bar' } } })),
      instance: vi.fn(() => topBar as unknown as ZafClient),
    };
    expect(await preloadQueue(client)).toBe(true);
    expect(client.instance).toHaveBeenCalledWith('guid-top');
    expect(topBar.invoke).toHaveBeenCalledWith('preloadPane');
  });

  test('does nothing, and throws nothing, where there is no top bar or no instances API', async () => {
    const base = createFakeZafClient({ request: async () => ({}) });
    expect(await preloadQueue({ ...base, get: vi.fn(async () => ({ instances: {} })), instance: vi.fn() })).toBe(false);
    expect(await preloadQueue({ ...base, get: vi.fn(async () => ({ instances: { g: { location: 'top_bar' } } })) })).toBe(false);
    expect(await preloadQueue({ ...base, get: vi.fn(async () => Promise.reject(new Error('no such path'))) })).toBe(false);
  });
});
