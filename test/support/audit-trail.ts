// Waiting on what the audit trail records, since deliveries happen in the background.
import type { AuditEventView } from '@countersign/shared';
import type { TestServer } from './test-server';

export type RecordedAttempt = Record<string, any> & { at: number };

/** The approval's events once at least `count` delivery attempts are recorded. */
export async function eventsWithAttempts(server: TestServer, approvalId: string, count: number, timeoutMs = 15_000): Promise<AuditEventView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await server.intake.listEvents(approvalId);
    if (items.filter((e) => e.type === 'delivery.attempt').length >= count) return items;
    if (Date.now() > deadline) throw new Error(`fewer than ${count} delivery attempts recorded within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The recorded delivery attempts (their data plus when each was recorded). */
export async function deliveryAttempts(server: TestServer, approvalId: string, count: number): Promise<RecordedAttempt[]> {
  const items = await eventsWithAttempts(server, approvalId, count);
  return items.filter((e) => e.type === 'delivery.attempt').map((e) => ({ ...e.data, at: Date.parse(e.at) }));
}
