// Details named like Object.prototype members ("constructor", "toString", …) are ordinary details:
// nothing the sidebar shows or sends is read off Object.prototype.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { approval } from './support/fake-countersign';
import { renderSidebar } from './support/render-sidebar';

afterEach(cleanup);

const NAMES = Object.getOwnPropertyNames(Object.prototype).filter((name) => name !== '__proto__');

describe('detail keys named like Object.prototype members', () => {
  test('edit shows no problem for them and sends only the one edited', async () => {
    const details = JSON.parse(`{"amount": 10, ${NAMES.map((name) => `${JSON.stringify(name)}: "v"`).join(', ')}}`) as Record<string, unknown>;
    const { api } = renderSidebar([approval({ details })]);
    await userEvent.click(await screen.findByTestId('edit-button'));
    const form = screen.getByTestId('edit-form');
    expect(form.textContent).not.toMatch(/not valid JSON|Enter a number|native code/);
    const approve = screen.getByTestId('edit-approve') as HTMLButtonElement;
    expect(approve.disabled).toBe(false);
    await userEvent.type(screen.getByTestId('detail-input-constructor'), '2');
    await userEvent.click(approve);
    await waitFor(() => expect(api.decisionRequests()).toHaveLength(1));
    expect(JSON.parse(api.decisionRequests()[0]!.data!).modifiedDetails).toEqual({ constructor: 'v2' });
  });

  test('a decided card lists them as added or removed, never as the built-in function', async () => {
    // As Countersign stores it: the complete object, here without "toString" and with every other name added.
    const modified = JSON.parse(JSON.stringify(Object.fromEntries([['a', 1], ...NAMES.filter((name) => name !== 'toString').map((name) => [name, 'x'])])));
    renderSidebar([
      approval({
        status: 'approved',
        decidedBy: { id: '9', name: 'Sam', via: 'api' },
        decidedAt: '2026-11-23T11:00:00.000Z',
        details: JSON.parse('{"toString": "old", "a": 1}'),
        modifiedDetails: modified,
      }),
    ]);
    const card = await screen.findByTestId('decided-card');
    await userEvent.click(within(card).getByRole('button', { name: 'Show details' }));
    const changes = within(card).getByTestId('changes-table');
    expect(changes.textContent).not.toContain('native code');
    const rows = [...changes.querySelectorAll('tr')].map((row) => [row.dataset.detailKey, row.textContent]);
    expect(rows.find(([key]) => key === 'constructor')).toEqual(['constructor', 'constructorxnew']);
    expect(rows.find(([key]) => key === 'toString')).toEqual(['toString', 'toStringremovedwas old']);
    expect(rows).toHaveLength(NAMES.length);
  });
});
