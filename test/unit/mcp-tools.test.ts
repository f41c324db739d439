// The MCP tools on their own, over the SDK's in-memory transport with a desk that records what it
// is asked: the wait is capped below common tool timeouts, and each status reads as what to do next.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import type { ApprovalView, IntakeInput } from '@countersign/shared';
import { answerText, createMcpServer, MCP_DEFAULT_WAIT_SECONDS, MCP_MAX_WAIT_SECONDS, type ApprovalDesk } from '@countersign/server/mcp';

const base: ApprovalView = {
  approvalId: 'apr_01m84s3ssrr83ea26r2ar2de9p', status: 'pending', action: 'process_refund', summary: 'Refund 49.00',
  details: { amount: '49.00' }, riskLevel: 'high', priority: 'normal', justification: null, agentName: null, metadata: null, context: null,
  modifiedDetails: null, changes: [], decisionNote: null, decidedBy: null, decidedAt: null,
  createdAt: '2026-11-23T18:00:00.000Z', expiresAt: '2026-11-24T18:00:00.000Z', policy: null, approvals: [], requestedBy: null,
};

/** Records each request's wait and answers pending. */
function recordingDesk(): { desk: ApprovalDesk; waits: number[]; inputs: IntakeInput[] } {
  const waits: number[] = [];
  const inputs: IntakeInput[] = [];
  return {
    waits,
    inputs,
    desk: {
      request: async (input, waitMs) => {
        inputs.push(input);
        waits.push(waitMs);
        return base;
      },
      get: async () => base,
    },
  };
}

async function connected(desk: ApprovalDesk): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(desk).connect(serverSide);
  const client = new Client({ name: 'unit', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('MCP tools', () => {
  it(`waits ${MCP_DEFAULT_WAIT_SECONDS} s by default, as asked up to ${MCP_MAX_WAIT_SECONDS} s, and never longer`, async () => {
    const { desk, waits, inputs } = recordingDesk();
    const client = await connected(desk);
    const ask = (extra: Record<string, unknown>) => client.callTool({ name: 'request_approval', arguments: { action: 'process_refund', summary: 'Refund', details: { amount: '1.00' }, ...extra } });
    await ask({});
    await ask({ waitSeconds: 0 });
    await ask({ waitSeconds: 30 });
    await ask({ waitSeconds: 3600 });
    expect(waits).toEqual([MCP_DEFAULT_WAIT_SECONDS * 1000, 0, 30_000, MCP_MAX_WAIT_SECONDS * 1000]);
    // waitSeconds is the tool's, not intake's: it never reaches the request body.
    expect(inputs.every((input) => !('waitSeconds' in input))).toBe(true);
    expect(inputs[0]).toMatchObject({ riskLevel: 'medium' });
    await client.close();
  });

  it('refuses a negative or fractional wait as a tool error, without asking the desk', async () => {
    const { desk, waits } = recordingDesk();
    const client = await connected(desk);
    for (const waitSeconds of [-1, 2.5]) {
      const result = await client.callTool({ name: 'request_approval', arguments: { action: 'a', summary: 's', details: {}, waitSeconds } });
      expect(result.isError, String(waitSeconds)).toBe(true);
    }
    expect(waits).toEqual([]);
    await client.close();
  });

  it('tells the model what to do for each status', () => {
    const reviewer = { id: 'ana', name: 'Ana Reviewer', via: 'api' as const };
    expect(answerText({ ...base, status: 'approved', decidedBy: reviewer, modifiedDetails: { amount: '25.00' } })).toBe(
      'APPROVED by Ana Reviewer (approvalId apr_01m84s3ssrr83ea26r2ar2de9p). Proceed with process_refund using exactly these details, as the reviewer edited them: {"amount":"25.00"}.',
    );
    expect(answerText({ ...base, status: 'approved', decidedBy: reviewer })).toContain('using exactly these details: {"amount":"49.00"}');
    expect(answerText({ ...base, status: 'rejected', decidedBy: reviewer, decisionNote: 'Not eligible.' })).toBe(
      'REJECTED by Ana Reviewer (approvalId apr_01m84s3ssrr83ea26r2ar2de9p). Do not process_refund. Reviewer\'s note: "Not eligible.". Explain to the user that a teammate declined this, and why.',
    );
    expect(answerText({ ...base, status: 'rejected' })).toContain('No reason was given.');
    expect(answerText(base)).toBe(
      'PENDING (approvalId apr_01m84s3ssrr83ea26r2ar2de9p): no teammate has decided yet. Do not process_refund now. Tell the user a teammate will review the request, then call get_approval with approvalId "apr_01m84s3ssrr83ea26r2ar2de9p" later (it expires at 2026-11-24T18:00:00.000Z).',
    );
    expect(answerText({ ...base, status: 'expired', decisionNote: 'Expired before a reviewer decided.' })).toContain('Do not process_refund; if it is still needed, ask again with request_approval.');
    expect(answerText({ ...base, status: 'cancelled' })).toContain('withdrawn');
  });

  it('answers a failing desk with a tool error that holds no internals', async () => {
    const client = await connected({ request: async () => Promise.reject(new Error('SQLITE_IOERR at /var/lib/secret/path')), get: async () => base });
    const result = await client.callTool({ name: 'request_approval', arguments: { action: 'a', summary: 's', details: {} } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).not.toContain('secret');
    await client.close();
  });
});
