// The fixture most server suites start from (test/support/server-and-receiver.ts): what it wires, and
// that it leaves nothing running or on disk.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seed000Filled } from '../support/seeds';
import { startServerAndReceiver, withServerAndReceiver } from '../support/server-and-receiver';
import { reviewer } from '../support/test-server';
import { makeTempDir } from '../support/temp-dir';

interface Seen {
  serverUrl: string;
  receiverUrl: string;
  dataDir: string;
}

async function isListening(url: string): Promise<boolean> {
  return fetch(url).then(
    () => true,
    () => false,
  );
}

describe('withServerAndReceiver', () => {
  const seen: Partial<Seen> = {};

  describe('a suite using it', () => {
    const { server, receiver, callbackUrl } = withServerAndReceiver({ env: { COUNTERSIGN_MAX_WAIT_MS: '1500' } });

    it('gets a running server, with the options given, whose callbacks reach the receiver at callbackUrl', async () => {
      Object.assign(seen, { serverUrl: server.url, receiverUrl: receiver.url, dataDir: server.dataDir });
      expect(server.config.maxWaitMs).toBe(1500);
      const { approval } = await server.intake.createApproval(seed000Filled('1', callbackUrl('/decided')));
      await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
      await receiver.waitFor(() => receiver.for(approval.approvalId).length === 1);
      expect(receiver.for(approval.approvalId)[0]!.path).toBe('/decided');
      expect(callbackUrl()).toBe(`${receiver.url}/cb`);
    });
  });

  it('has stopped the server and the receiver and deleted the data dir once that suite is over', async () => {
    expect(seen.dataDir).toBeDefined();
    expect(await isListening(`${seen.serverUrl}/healthz`)).toBe(false);
    expect(await isListening(seen.receiverUrl!)).toBe(false);
    expect(existsSync(seen.dataDir!)).toBe(false);
  });
});

describe('startServerAndReceiver', () => {
  it('close() stops both and deletes the data dir it made', async () => {
    const { server, receiver, close } = await startServerAndReceiver();
    expect(await isListening(`${server.url}/healthz`)).toBe(true);
    expect(await isListening(receiver.url)).toBe(true);
    await close();
    expect(await isListening(`${server.url}/healthz`)).toBe(false);
    expect(await isListening(receiver.url)).toBe(false);
    expect(existsSync(server.dataDir)).toBe(false);
  });

  it('close() keeps a data dir the test gave, for a server started on it next', async () => {
    const temp = makeTempDir('fixture');
    try {
      const { server, close } = await startServerAndReceiver({ dataDir: temp.dir });
      const { approval } = await server.intake.createApproval(seed000Filled('2', 'https://automation.example/cb'));
      await close();
      expect(existsSync(temp.dir)).toBe(true);
      const again = await startServerAndReceiver({ dataDir: temp.dir });
      try {
        expect((await again.server.intake.getApproval(approval.approvalId)).status).toBe('pending');
      } finally {
        await again.close();
      }
    } finally {
      temp.remove();
    }
  });
});
