import { afterAll, describe, expect, it } from 'vitest';
import { seed000Filled, seed001Sample } from '../../support/seeds';
import { withReceiver } from '../../support/server-and-receiver';
import { reviewer, startTestServer } from '../../support/test-server';
import { makeTempDir } from '../../support/temp-dir';

describe('restart', () => {
  // The receiver outlives both servers on the one data dir.
  const receiver = withReceiver();
  const temp = makeTempDir('restart');
  afterAll(() => temp.remove());

  it('keeps pending approvals and undelivered callbacks, and delivers them after a restart', async () => {
    // Long retry gaps: the failed callback must still be waiting when the server stops.
    const env = { COUNTERSIGN_RETRY_SCHEDULE: '1500ms,1500ms' };
    const first = await startTestServer({ dataDir: temp.dir, env });
    const pending = (await first.intake.createApproval(seed001Sample)).approval;
    const decided = (await first.intake.createApproval(seed000Filled('77', `${receiver.url}/cb`))).approval;
    receiver.reply({ status: 503 });
    await first.review.decide(decided.approvalId, { decision: 'approve', reviewer });
    await receiver.waitFor(() => receiver.for(decided.approvalId).length === 1);
    await first.stop();

    const second = await startTestServer({ dataDir: temp.dir, env });
    try {
      expect(await second.intake.getApproval(pending.approvalId)).toMatchObject({ status: 'pending', details: seed001Sample.details });
      await receiver.waitFor(() => receiver.for(decided.approvalId).length === 2);
      const [failed, delivered] = receiver.for(decided.approvalId);
      expect(delivered!.json.status).toBe('APPROVED');
      expect(delivered!.headers['webhook-id']).toBe(failed!.headers['webhook-id']);

      // The pending one is still decidable, and its callback-less decision sticks.
      await second.review.decide(pending.approvalId, { decision: 'reject', note: 'no', reviewer });
      expect((await second.intake.getApproval(pending.approvalId)).status).toBe('rejected');
    } finally {
      await second.stop();
    }
  });
});
