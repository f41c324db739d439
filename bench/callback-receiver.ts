// The automation's end of a decision callback: a plain node:http server on loopback that notes when
// each approval's callback arrives and checks its Standard Webhooks signature with the workspace's
// callback secret, the way a receiver is told to.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature, type VerifyResult } from '../server/src/delivery/signing';

export const CALLBACK_PATH = '/countersign/callback';

export interface CallbackArrival {
  approvalId: string;
  /** performance.now() when the whole callback body had been received. */
  receivedAt: number;
  /** The callback's `status` (APPROVED, REJECTED…). */
  status: unknown;
  signature: VerifyResult;
}

interface Expectation {
  resolve: (arrival: CallbackArrival) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class CallbackReceiver {
  readonly url: string;
  /** Every callback received, signed correctly or not. */
  received = 0;
  signatureFailures = 0;
  /** A second callback for an approval already seen (a retry or a double send). */
  duplicates = 0;
  /** Bodies that are not JSON or carry no approvalId. */
  malformed = 0;
  private readonly seen = new Set<string>();
  private readonly early = new Map<string, CallbackArrival>();
  private readonly expected = new Map<string, Expectation>();

  private constructor(
    private readonly server: http.Server,
    private readonly secret: string,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}${CALLBACK_PATH}`;
  }

  static async start(secret: string): Promise<CallbackReceiver> {
    const server = http.createServer({ keepAliveTimeout: 30_000 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const receiver = new CallbackReceiver(server, secret);
    server.on('request', (req, res) => receiver.handle(req, res));
    return receiver;
  }

  /** Resolves when this approval's callback arrives; call it before causing the callback. */
  expect(approvalId: string, timeoutMs: number): Promise<CallbackArrival> {
    const arrived = this.early.get(approvalId);
    if (arrived) {
      this.early.delete(approvalId);
      return Promise.resolve(arrived);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.expected.delete(approvalId);
        reject(new Error(`no callback for ${approvalId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.expected.set(approvalId, { resolve, reject, timer });
    });
  }

  close(): Promise<void> {
    for (const { timer, reject } of this.expected.values()) {
      clearTimeout(timer);
      reject(new Error('callback receiver closed'));
    }
    this.expected.clear();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const receivedAt = performance.now();
      res.statusCode = 204;
      res.end();
      if (req.method !== 'POST' || req.url !== CALLBACK_PATH) {
        this.malformed++;
        return;
      }
      this.received++;
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = verifySignature(this.secret, {
        id: header(req, 'webhook-id'),
        timestamp: header(req, 'webhook-timestamp'),
        signature: header(req, 'webhook-signature'),
        body,
      });
      if (!signature.ok) this.signatureFailures++;
      const payload = parse(body);
      if (!payload || typeof payload.approvalId !== 'string') {
        this.malformed++;
        return;
      }
      const approvalId = payload.approvalId;
      if (this.seen.has(approvalId)) {
        this.duplicates++;
        return;
      }
      this.seen.add(approvalId);
      const arrival: CallbackArrival = { approvalId, receivedAt, status: payload.status, signature };
      const waiting = this.expected.get(approvalId);
      if (!waiting) {
        this.early.set(approvalId, arrival);
        return;
      }
      this.expected.delete(approvalId);
      clearTimeout(waiting.timer);
      waiting.resolve(arrival);
    });
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(' ') : value;
}

function parse(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
