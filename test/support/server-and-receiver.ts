// The pair most server suites need: a real Countersign (startTestServer) and a real callback receiver
// standing for the automation's endpoint (or for a platform's API), started together and cleaned up
// together.
//
//   describe('decision callbacks', () => {
//     const { server, receiver, callbackUrl } = withServerAndReceiver();
//     it('…', async () => { await server.intake.createApproval({ …, callbackUrl: callbackUrl('/cb') }); … });
//   });
//
// A test that owns the lifetime (restarts, a second server on the data dir) uses
// startServerAndReceiver() and close() instead.
import { afterAll, beforeAll } from 'vitest';
import { CallbackReceiver } from './callback-receiver';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server';

export interface ServerAndReceiver {
  server: TestServer;
  receiver: CallbackReceiver;
  /** A URL on the receiver, for a request's callbackUrl. */
  callbackUrl(path?: string): string;
}

export interface RunningServerAndReceiver extends ServerAndReceiver {
  /** Stops the server (deleting its data dir unless the test gave one), then the receiver. */
  close(): Promise<void>;
}

export interface ServerAndReceiverOptions extends TestServerOptions {
  /** The loopback address the receiver listens on (see CallbackReceiver). */
  receiverHost?: string;
}

export async function startServerAndReceiver(options: ServerAndReceiverOptions = {}): Promise<RunningServerAndReceiver> {
  const { receiverHost, ...serverOptions } = options;
  const receiver = await new CallbackReceiver(receiverHost).start();
  let server: TestServer;
  try {
    server = await startTestServer(serverOptions);
  } catch (error) {
    await receiver.stop();
    throw error;
  }
  return { server, receiver, callbackUrl: callbackUrlOn(receiver), close: () => closeBoth(server, receiver) };
}

/**
 * Both for the enclosing describe block: started in its beforeAll, closed in its afterAll. `server`
 * and `receiver` are filled in place when the suite starts, so they can be destructured right away
 * and read inside tests and later hooks. Options may be a function, read when the suite starts, for
 * settings that name something another beforeAll started first (a fake platform's URL).
 */
export function withServerAndReceiver(options: TestServerOptions | (() => TestServerOptions) = {}): ServerAndReceiver {
  const server = {} as TestServer;
  const receiver = withReceiver();
  beforeAll(async () => {
    Object.assign(server, await startTestServer(typeof options === 'function' ? options() : options));
  });
  // Registered after the receiver's hooks, so it runs before the receiver stops: the server first
  // finishes the deliveries it has in flight.
  afterAll(async () => {
    await server.close?.();
  });
  return { server, receiver, callbackUrl: callbackUrlOn(receiver) };
}

/** A receiver of its own for the enclosing describe block (a second endpoint, a platform's API). */
export function withReceiver(host?: string): CallbackReceiver {
  const receiver = new CallbackReceiver(host);
  beforeAll(async () => {
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
  });
  return receiver;
}

function callbackUrlOn(receiver: CallbackReceiver): (path?: string) => string {
  return (path = '/cb') => `${receiver.url}${path}`;
}

async function closeBoth(server: TestServer, receiver: CallbackReceiver): Promise<void> {
  try {
    await server.close();
  } finally {
    await receiver.stop();
  }
}
