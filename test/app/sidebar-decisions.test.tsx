// Approve, reject with a note, edit-then-approve, and losing a race to another reviewer.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { approval, KEY_PLACEHOLDER, PUBLIC_URL } from './support/fake-countersign';
import { AGENT } from './support/fake-zaf-client';
import { renderSidebar } from './support/render-sidebar';

afterEach(cleanup);

function sentBody(request: { data?: string } | undefined): Record<string, unknown> {
  return JSON.parse(request?.data ?? 'null') as Record<string, unknown>;
}

describe('decisions', () => {
  test('approves in one click through the secure proxy, with the agent\'s session and no reviewer in the body', async () => {
    const pending = approval();
    const { api } = renderSidebar([pending]);
    await userEvent.click(await screen.findByTestId('approve-button'));

    await waitFor(() => expect(api.decisionRequests()).toHaveLength(1));
    const [request] = api.decisionRequests();
    expect(request).toMatchObject({
      url: `${PUBLIC_URL}/api/approvals/${pending.approvalId}/decision`,
      type: 'POST',
      contentType: 'application/json',
      secure: true,
      cors: false,
      headers: { Authorization: KEY_PLACEHOLDER, 'X-Countersign-Reviewer': expect.stringMatching(/^session-/) },
    });
    // Who decides comes from the session Zendesk vouched for, never from the body.
    expect(sentBody(request)).toEqual({ decision: 'approve' });

    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('success');
    expect(notice.textContent).toContain('Approved: process_refund');
    const decided = await screen.findByTestId('decided-card');
    expect(decided.dataset.status).toBe('approved');
    expect(within(decided).getByTestId('decided-by').textContent).toContain(`Approved by ${AGENT.name}`);
    expect(screen.queryByTestId('approval-card')).toBeNull();
  });

  test('rejects with a note', async () => {
    const pending = approval();
    const { api } = renderSidebar([pending]);
    await userEvent.click(await screen.findByTestId('reject-button'));
    expect(screen.queryByTestId('approve-button')).toBeNull();
    await userEvent.type(screen.getByTestId('reject-note'), '  Outside the 30-day window.  ');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm rejection' }));

    await waitFor(() => expect(api.decisionRequests()).toHaveLength(1));
    expect(sentBody(api.decisionRequests()[0])).toEqual({ decision: 'reject', note: 'Outside the 30-day window.' });
    expect((await screen.findByTestId('decided-card')).dataset.status).toBe('rejected');
    expect((await screen.findByTestId('notice')).dataset.kind).toBe('success');
  });

  test('rejects without a note when the agent leaves it empty, and can back out first', async () => {
    const { api } = renderSidebar([approval()]);
    await userEvent.click(await screen.findByTestId('reject-button'));
    await userEvent.click(screen.getByTestId('reject-cancel'));
    expect(screen.queryByTestId('reject-note')).toBeNull();
    expect(api.decisionRequests()).toHaveLength(0);

    await userEvent.click(screen.getByTestId('reject-button'));
    await userEvent.click(screen.getByTestId('reject-confirm'));
    await waitFor(() => expect(api.decisionRequests()).toHaveLength(1));
    expect(sentBody(api.decisionRequests()[0])).toEqual({ decision: 'reject' });
  });

  test('edit then approve sends a merge patch of only the edited details, types preserved, and shows the complete result', async () => {
    const details = { orderId: '1234', amount: 49.99, currency: 'EUR', notifyCustomer: true, items: [{ sku: 'MUG-1', qty: 2 }], coupon: null };
    const pending = approval({ details });
    const { api } = renderSidebar([pending]);
    await userEvent.click(await screen.findByTestId('edit-button'));

    const amount = screen.getByTestId('detail-input-amount') as HTMLInputElement;
    expect(amount.value).toBe('49.99');
    expect((screen.getByTestId('detail-input-orderId') as HTMLInputElement).value).toBe('1234');
    expect((screen.getByTestId('detail-input-notifyCustomer') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('detail-input-items') as HTMLTextAreaElement).value).toBe(JSON.stringify(details.items, null, 2));

    await userEvent.clear(amount);
    await userEvent.type(amount, '25');
    await userEvent.click(screen.getByTestId('detail-input-notifyCustomer'));
    expect(screen.getAllByText('Changed')).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Approve with changes' }));

    await waitFor(() => expect(api.decisionRequests()).toHaveLength(1));
    const body = sentBody(api.decisionRequests()[0]);
    expect(body).toEqual({
      decision: 'approve',
      modifiedDetails: { amount: 25, notifyCustomer: false },
    });
    const modified = body.modifiedDetails as Record<string, unknown>;
    expect(typeof modified.amount).toBe('number');
    const notice = await screen.findByTestId('notice');
    expect(notice.textContent).toContain('Approved with your changes');
    expect(api.approvals[0]!.modifiedDetails).toEqual({ ...details, amount: 25, notifyCustomer: false });
    const decided = await screen.findByTestId('decided-card');
    await userEvent.click(within(decided).getByRole('button', { name: 'Show details' }));
    const changes = within(decided).getByTestId('changes-table');
    expect([...changes.querySelectorAll('tr')].map((row) => row.dataset.detailKey)).toEqual(['amount', 'notifyCustomer']);
    expect(changes.textContent).toContain('was 49.99');
  });

  test('edit blocks invalid JSON and non-numbers until they are fixed', async () => {
    const pending = approval({ details: { amount: 10, items: [1, 2] } });
    const { api } = renderSidebar([pending]);
    await userEvent.click(await screen.findByTestId('edit-button'));
    const approve = screen.getByTestId('edit-approve') as HTMLButtonElement;

    fireEvent.change(screen.getByTestId('detail-input-items'), { target: { value: '[1, 2' } });
    expect(screen.getByText(/not valid JSON/)).toBeTruthy();
    expect(approve.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('detail-input-items'), { target: { value: '[1, 2, 3]' } });
    expect(approve.disabled).toBe(false);

    fireEvent.change(screen.getByTestId('detail-input-amount'), { target: { value: 'twelve' } });
    expect(screen.getByText(/Enter a number/)).toBeTruthy();
    expect(approve.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('detail-input-amount'), { target: { value: '12.5' } });
    await userEvent.click(approve);

    await waitFor(() => expect(api.decisionRequests()).toHaveLength(1));
    expect(sentBody(api.decisionRequests()[0]).modifiedDetails).toEqual({ amount: 12.5, items: [1, 2, 3] });
  });

  test('edit refuses a number JSON cannot carry exactly before anything is sent', async () => {
    const { api } = renderSidebar([approval({ details: { amount: 10 } })]);
    await userEvent.click(await screen.findByTestId('edit-button'));
    fireEvent.change(screen.getByTestId('detail-input-amount'), { target: { value: '99999999999999999999' } });
    expect(screen.getByText(/too large to be sent exactly/)).toBeTruthy();
    const approve = screen.getByTestId('edit-approve') as HTMLButtonElement;
    expect(approve.disabled).toBe(true);
    await userEvent.click(approve);
    expect(api.decisionRequests()).toHaveLength(0);
  });

  test('edit cancel returns to the card without sending anything', async () => {
    const { api } = renderSidebar([approval()]);
    await userEvent.click(await screen.findByTestId('edit-button'));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('edit-form')).toBeNull();
    expect(screen.getByTestId('details-table')).toBeTruthy();
    expect(api.decisionRequests()).toHaveLength(0);
  });

  test('sends one decision however fast the agent clicks, with buttons disabled meanwhile', async () => {
    const { api, client } = renderSidebar([approval()]);
    const button = (await screen.findByTestId('approve-button')) as HTMLButtonElement;
    let release = () => {};
    // Hold the decision's answer so the in-flight state is observable.
    client.request.mockImplementation((options) =>
      options.type === 'POST' ? new Promise((resolve) => (release = () => resolve(api.request(options)))) : api.request(options),
    );
    fireEvent.click(button);
    fireEvent.click(button);
    await waitFor(() => expect(button.disabled).toBe(true));
    fireEvent.click(button);
    expect((screen.getByTestId('reject-button') as HTMLButtonElement).disabled).toBe(true);
    expect(client.request.mock.calls.filter(([options]) => options.type === 'POST')).toHaveLength(1);
    release();
    expect((await screen.findByTestId('decided-card')).dataset.status).toBe('approved');
    expect(api.decisionRequests()).toHaveLength(1);
  });

  test('409: says who decided and how, and refreshes the list', async () => {
    const pending = approval();
    const { api } = renderSidebar([pending]);
    await screen.findByTestId('approval-card');
    const listsBefore = api.listRequests().length;
    api.decideElsewhere(pending.approvalId, 'rejected', 'Sam Supervisor');

    await userEvent.click(screen.getByTestId('approve-button'));
    const notice = await screen.findByTestId('notice');
    expect(notice.dataset.kind).toBe('conflict');
    expect(notice.textContent).toContain('Sam Supervisor already rejected this request');
    const decided = await screen.findByTestId('decided-card');
    expect(decided.dataset.approvalId).toBe(pending.approvalId);
    expect(decided.dataset.status).toBe('rejected');
    expect(within(decided).getByTestId('decided-by').textContent).toContain('Rejected by Sam Supervisor');
    await waitFor(() => expect(api.listRequests().length).toBeGreaterThan(listsBefore));
  });
});
