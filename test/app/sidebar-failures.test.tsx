// When Countersign cannot be reached or refuses the key, the agent is told what to do next.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { approval } from './support/fake-countersign';
import { renderSidebar } from './support/render-sidebar';

afterEach(cleanup);

describe('failures', () => {
  test('unreachable backend (status 0): says Countersign cannot be reached, and Retry loads the list', async () => {
    const { api } = renderSidebar([approval()]);
    api.outage = { status: 0 };
    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('unreachable');
    expect(notice.textContent).toContain("Countersign can't be reached");
    expect(screen.queryByTestId('approval-card')).toBeNull();

    api.outage = null;
    await userEvent.click(within(notice).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('approval-card')).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId('notice')).toBeNull());
  });

  test.each([502, 503, 504])('a %i from a gateway counts as unreachable', async (status) => {
    const { api } = renderSidebar([approval()]);
    api.outage = { status, body: '<html>Bad gateway</html>' };
    expect((await screen.findByTestId('notice')).dataset.kind).toBe('unreachable');
  });

  test('429: Countersign is busy; nothing changed, and Retry loads the list once it answers again', async () => {
    const { api } = renderSidebar([approval()]);
    api.outage = { status: 429, body: { error: { code: 'rate_limited', message: 'Too many requests for this key; retry after 1 s.', issues: [] } } };
    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('busy');
    expect(notice.textContent).toContain('Countersign is busy');
    api.outage = null;
    await userEvent.click(within(notice).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('approval-card')).toBeTruthy();
  });

  test('401: the review key was refused; points the agent at the admin setting', async () => {
    const { api } = renderSidebar([approval()]);
    api.outage = { status: 401, body: { error: { code: 'unauthorized', message: 'Unknown review key.', issues: [] } } };
    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('unauthorized');
    expect(notice.textContent).toContain('"Review key"');
    expect(notice.textContent).toContain('Admin Center → Apps and integrations → Zendesk Support apps → Countersign');
  });

  test('a decision that cannot reach Countersign keeps the card, and Retry sends it again', async () => {
    const pending = approval();
    const { api } = renderSidebar([pending]);
    await userEvent.click(await screen.findByTestId('reject-button'));
    await userEvent.type(screen.getByTestId('reject-note'), 'No.');
    api.outage = { status: 0 };
    await userEvent.click(screen.getByTestId('reject-confirm'));

    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('unreachable');
    // The form stays open with the note the agent typed.
    expect((screen.getByTestId('reject-note') as HTMLTextAreaElement).value).toBe('No.');
    expect(api.approvals[0]!.status).toBe('pending');

    api.outage = null;
    await userEvent.click(within(notice).getByRole('button', { name: 'Retry' }));
    expect((await screen.findByTestId('decided-card')).dataset.status).toBe('rejected');
    const decisions = api.decisionRequests();
    expect(decisions).toHaveLength(2);
    expect(JSON.parse(decisions[1]!.data!)).toMatchObject({ decision: 'reject', note: 'No.' });
    expect((await screen.findByTestId('notice')).dataset.kind).toBe('success');
  });

  test('when Zendesk cannot say which ticket is open, says so, and Retry starts again', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { client } = renderSidebar([approval()]);
    // Both the bulk read and its fallback fail once.
    client.get.mockRejectedValueOnce(new Error('Invocation request timeout')).mockRejectedValueOnce(new Error('Invocation request timeout'));
    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('error');
    expect(notice.textContent).toContain("couldn't read this ticket");
    await userEvent.click(within(notice).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('approval-card')).toBeTruthy();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  test('other errors show Countersign\'s own message', async () => {
    const { api } = renderSidebar([approval()]);
    await screen.findByTestId('approval-card');
    api.outage = { status: 422, body: { error: { code: 'invalid_decision', message: 'modifiedDetails is nested too deeply.', issues: [] } } };
    await userEvent.click(screen.getByTestId('approve-button'));
    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('error');
    expect(notice.textContent).toContain('modifiedDetails is nested too deeply.');
    expect(screen.getByTestId('approval-card')).toBeTruthy();
  });

  test('a good refresh clears the list\'s failure notice', async () => {
    const { api, client } = renderSidebar([approval()]);
    await screen.findByTestId('approval-card');
    api.outage = { status: 0 };
    client.fire('ticket.updated');
    expect((await screen.findByTestId('notice')).dataset.kind).toBe('unreachable');
    // The list the agent already had stays visible.
    expect(screen.getByTestId('approval-card')).toBeTruthy();
    api.outage = null;
    client.fire('app.activated');
    await waitFor(() => expect(screen.queryByTestId('notice')).toBeNull());
  });
});
