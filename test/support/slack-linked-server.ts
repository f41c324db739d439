// What the Slack integration tests start from: a fake Slack Web API on loopback, a test server that
// talks to it (SLACK_API_URL), one workspace linked to it, and that workspace's keys.
import { CountersignClient } from '@countersign/shared';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import { FakeSlack, slackWorkspace } from './fake-slack';
import { startTestServer, type TestServer } from './test-server';

export interface SlackLinkedServer {
  fake: FakeSlack;
  server: TestServer;
  workspace: WorkspaceRecord;
  intake: CountersignClient;
  /** With a delegating review key: decides as the body's `reviewer`. */
  review: CountersignClient;
  adminKey: string;
  close(): Promise<void>;
}

/** `prepare` sets up the fake Slack (its users…) before it starts. */
export async function startSlackLinkedServer(workspaceName: string, prepare?: (fake: FakeSlack) => void): Promise<SlackLinkedServer> {
  const fake = new FakeSlack();
  prepare?.(fake);
  await fake.start();
  let server: TestServer | undefined;
  try {
    server = await startTestServer({ env: { SLACK_API_URL: fake.url } });
    const { workspace, intakeKey } = await slackWorkspace(server, workspaceName, fake);
    const reviewKey = (await server.app.workspaces.issueKey(workspace, 'review', { reviewer: { kind: 'delegating' } })).key;
    const adminKey = (await server.app.workspaces.issueKey(workspace, 'admin')).key;
    const started = server;
    return {
      fake,
      server,
      workspace,
      intake: new CountersignClient({ baseUrl: server.url, intakeKey }),
      review: new CountersignClient({ baseUrl: server.url, reviewKey }),
      adminKey,
      close: async () => {
        await started.close();
        await fake.stop();
      },
    };
  } catch (error) {
    await server?.close();
    await fake.stop();
    throw error;
  }
}
