// "Confirm it's you": an agent without a session Zendesk vouched for is asked to confirm; the sidebar
// opens Zendesk's consent page in a window of its own, collects the session itself (the window may not
// be able to talk back), keeps it with its expiry, sends it with every request, and asks again when it
// ends or Countersign stops accepting it.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { approval, CONSENT_URL, PUBLIC_URL } from './support/fake-countersign';
import { renderSidebar, SESSION_STORAGE_KEY, SIGNED_IN_AGENT } from './support/render-sidebar';

interface FakeWindow {
  location: { href: string };
  closed: boolean;
  close: ReturnType<typeof vi.fn>;
}

let opened: FakeWindow[];
let open: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  opened = [];
  open = vi.spyOn(window, 'open').mockImplementation(() => {
    const fake: FakeWindow = { location: { href: 'about:blank' }, closed: false, close: vi.fn(() => void (fake.closed = true)) };
    opened.push(fake);
    return fake as unknown as Window;
  });
});

afterEach(() => {
  cleanup();
  open.mockRestore();
});

// Generous: jsdom with Garden is slow on a busy machine, and the sidebar collects every 20 ms here.
const PATIENCE = { timeout: 10_000 };
const banner = () => screen.findByTestId('sign-in-banner', {}, PATIENCE);
const phase = (expected: string) => waitFor(() => expect(screen.getByTestId('sign-in-banner').dataset.phase).toBe(expected), PATIENCE);
const sessionHeader = (options: { headers?: Record<string, string> } | undefined) => options?.headers?.['X-Countersign-Reviewer'];

describe('sign-in', () => {
  test('asks an agent without a session to confirm, opens Zendesk\'s consent page, and decides with the session Zendesk vouched for', async () => {
    const pending = approval();
    const { api } = renderSidebar([pending], { signedIn: false });
    const prompt = await banner();
    expect(prompt.dataset.phase).toBe('signed_out');
    expect(prompt.textContent).toContain('Confirm it\'s you');
    expect(screen.queryByTestId('signed-in-as')).toBeNull();

    await userEvent.click(within(prompt).getByTestId('sign-in-button'));
    // Opened inside the click (or the browser would block it), then sent to Zendesk once Countersign answered.
    expect(open).toHaveBeenCalledWith('about:blank', 'countersign-sign-in', expect.stringContaining('popup'));
    await waitFor(() => expect(opened[0]!.location.href).toBe(CONSENT_URL), PATIENCE);
    const startRequest = api.requests.find((r) => r.type === 'POST' && r.url === `${PUBLIC_URL}/api/zendesk/sign-in`)!;
    expect(JSON.parse(startRequest.data!)).toEqual({ origin: window.location.origin });
    await phase('waiting');

    // Zendesk vouches; the sidebar collects by itself (no message from the window needed).
    const session = api.completeSignIn(SIGNED_IN_AGENT);
    expect(await screen.findByTestId('signed-in-as', {}, PATIENCE)).toHaveProperty('textContent', `Deciding as ${SIGNED_IN_AGENT.name}, confirmed by Zendesk`);
    expect(screen.queryByTestId('sign-in-banner')).toBeNull();
    const kept = JSON.parse(window.localStorage.getItem(SESSION_STORAGE_KEY)!);
    expect(kept).toEqual(session);

    await userEvent.click(await screen.findByTestId('approve-button', {}, PATIENCE));
    await waitFor(() => expect(api.decisionRequests()).toHaveLength(1), PATIENCE);
    expect(sessionHeader(api.decisionRequests()[0])).toBe(session.value);
    expect(JSON.parse(api.decisionRequests()[0]!.data!)).toEqual({ decision: 'approve' });
    expect((await screen.findByTestId('decided-card', {}, PATIENCE)).dataset.status).toBe('approved');
    // Every call carries it from now on, reads included.
    expect(sessionHeader(api.listRequests().at(-1))).toBe(session.value);
  });

  test('collects at once when the consent window says Zendesk answered, and ignores such messages from other origins', async () => {
    const { api } = renderSidebar([approval()], { signedIn: false, prepare: (fake) => void (fake.pollIntervalMs = 60_000) });
    await userEvent.click(within(await banner()).getByTestId('sign-in-button'));
    await phase('waiting');
    api.completeSignIn(SIGNED_IN_AGENT);

    act(() => void window.dispatchEvent(new MessageEvent('message', { origin: 'https://evil.example', data: { type: 'countersign:zendesk-sign-in' } })));
    await new Promise((r) => setTimeout(r, 50));
    expect(api.claimRequests()).toHaveLength(0);

    act(() => void window.dispatchEvent(new MessageEvent('message', { origin: new URL(PUBLIC_URL).origin, data: { type: 'countersign:zendesk-sign-in', outcome: 'signed_in' } })));
    await screen.findByTestId('signed-in-as', {}, PATIENCE);
    expect(api.claimRequests()).toHaveLength(1);
  });

  test('offers a link when the browser would not open the window', async () => {
    open.mockImplementation(() => null);
    renderSidebar([approval()], { signedIn: false });
    await userEvent.click(within(await banner()).getByTestId('sign-in-button'));
    const link = await screen.findByTestId('sign-in-link', {}, PATIENCE);
    expect(link.getAttribute('href')).toBe(CONSENT_URL);
    expect(link.getAttribute('target')).toBe('_blank');
    expect((await banner()).textContent).toContain('did not open the Zendesk window');
  });

  test('says why when Zendesk did not confirm the agent, and lets them try again', async () => {
    const { api } = renderSidebar([approval()], { signedIn: false });
    await userEvent.click(within(await banner()).getByTestId('sign-in-button'));
    await phase('waiting');
    api.refuseSignIn('not_an_agent', 'You are signed in to Zendesk as Casey Customer, who is not an agent.');
    await phase('refused');
    expect(screen.getByTestId('sign-in-message').textContent).toContain('Casey Customer, who is not an agent');
    expect(screen.getByTestId('sign-in-banner').textContent).toContain('Zendesk did not confirm you');

    await userEvent.click(within(screen.getByTestId('sign-in-banner')).getByTestId('sign-in-button'));
    await phase('waiting');
    expect(open).toHaveBeenCalledTimes(2);
  });

  test('says that sign-in is not set up when the workspace has no Zendesk OAuth client, and closes the window it opened', async () => {
    renderSidebar([approval()], { signedIn: false, prepare: (fake) => void (fake.signInConfigured = false) });
    await userEvent.click(within(await banner()).getByTestId('sign-in-button'));
    await phase('not_configured');
    expect(screen.getByTestId('sign-in-banner').textContent).toContain('zendesk oauth set');
    expect(opened[0]!.close).toHaveBeenCalled();
  });

  test('cancel stops waiting and closes the window', async () => {
    const { api } = renderSidebar([approval()], { signedIn: false });
    await userEvent.click(within(await banner()).getByTestId('sign-in-button'));
    await userEvent.click(await screen.findByTestId('sign-in-cancel', {}, PATIENCE));
    await phase('signed_out');
    expect(opened[0]!.close).toHaveBeenCalled();
    const claims = api.claimRequests().length;
    await new Promise((r) => setTimeout(r, 100));
    expect(api.claimRequests()).toHaveLength(claims);
  });

  test('asks again when the kept session expires', async () => {
    renderSidebar([approval()], {
      signedIn: false,
      prepare: (fake) => window.localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(fake.issueSession(SIGNED_IN_AGENT, 400))),
    });
    await screen.findByTestId('signed-in-as', {}, PATIENCE);
    const prompt = await banner();
    expect(prompt.textContent).toContain('Your confirmation has ended');
    expect(window.localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  test('drops a kept session Countersign no longer accepts and asks again', async () => {
    renderSidebar([approval()], {
      signedIn: false,
      prepare: () => window.localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ value: 'issued-by-another-server', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), reviewer: SIGNED_IN_AGENT })),
    });
    expect((await banner()).textContent).toContain('Your confirmation has ended');
    expect(window.localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  test('a decision answered 403 reviewer_unverified asks the agent to confirm again instead of reporting a key problem', async () => {
    const { api } = renderSidebar([approval()]);
    await screen.findByTestId('signed-in-as', {}, PATIENCE);
    api.sessions.clear(); // Countersign stops accepting it (a restart with a new key, say)
    await userEvent.click(await screen.findByTestId('approve-button', {}, PATIENCE));
    const prompt = await banner();
    expect(prompt.textContent).toContain('Your confirmation has ended');
    expect(screen.queryByTestId('notice')).toBeNull();
    expect(screen.getByTestId('approval-card')).toBeTruthy();
  });

  test('does not prompt on a ticket with nothing waiting', async () => {
    renderSidebar([approval({ status: 'approved', decidedBy: { id: '3', name: 'Sam', via: 'zendesk' }, decidedAt: '2026-11-23T11:00:00.000Z' })], { signedIn: false });
    await screen.findByTestId('decided-card', {}, PATIENCE);
    expect(screen.queryByTestId('sign-in-banner')).toBeNull();
  });

  test('speaks German to a German agent', async () => {
    renderSidebar([approval()], { signedIn: false, user: { id: 7, name: 'Avery Agent', locale: 'de' } });
    const prompt = await banner();
    expect(prompt.textContent).toContain('Bestätigen Sie, dass Sie es sind');
    expect(within(prompt).getByTestId('sign-in-button').textContent).toBe('Bestätigen, dass Sie es sind');
  });
});
