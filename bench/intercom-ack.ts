// Intercom's webhook deadline under intake load: while automations post intake requests at a fixed
// rate, signed Intercom notifications arrive at POST /webhooks/intercom at their own fixed rate (both
// open loop, see open-loop.ts), and each acknowledgement's latency is timed. Seed 002 asks for the
// 200 at once; the work happens after it. Every notification has a fresh id (none is a duplicate)
// and a conversation topic from an Intercom app no workspace is linked to: accepted, recorded,
// then ignored, so the figure is the acknowledgement path alone.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { hubSignature } from '../server/src/integrations/intercom/webhook-signature';
import { exchange, type Answer } from './http-exchange';
import { runOpenLoop, type OpenLoopResult } from './open-loop';
import type { RunningServer } from './processes';
import { intakePoster } from './sustained-rate';

export const INTERCOM_WEBHOOK_PATH = '/webhooks/intercom';
const TOPIC = 'conversation.user.replied';
const REQUEST_TIMEOUT_MS = 10_000;

export interface IntercomAckRun {
  durationS: number;
  /** Seconds of the same load first, not measured: a server in service is warm (JIT, caches, sockets). */
  warmupS: number;
  /** Intake requests per second meanwhile. */
  intakePerSec: number;
  /** Intercom notifications per second. */
  notificationsPerSec: number;
}

export interface IntercomAckResult {
  warmupS: number;
  /** The acknowledgements: latency from each notification's due time to its 200. */
  acks: OpenLoopResult;
  /** The intake load that ran alongside. */
  intake: OpenLoopResult;
}

export async function measureIntercomAck(server: RunningServer, keys: { intakeKey: string; intercomSecret: string }, run: IntercomAckRun): Promise<IntercomAckResult> {
  const poster = intakePoster(server.url, keys.intakeKey);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 64 });
  const sendNotification = (index: number): Promise<Answer> => {
    const body = JSON.stringify(notification(index));
    const headers = { 'content-type': 'application/json', 'x-hub-signature': hubSignature(keys.intercomSecret, body) };
    return exchange({ method: 'POST', url: server.url + INTERCOM_WEBHOOK_PATH, headers, body, agent, timeoutMs: REQUEST_TIMEOUT_MS });
  };
  const both = (durationS: number) =>
    Promise.all([
      runOpenLoop({ ratePerSec: run.intakePerSec, durationS, send: poster.send, accept: (a) => a.status === 201 }),
      runOpenLoop({ ratePerSec: run.notificationsPerSec, durationS, send: sendNotification, accept: acknowledgedAsNew }),
    ]);
  try {
    if (run.warmupS > 0) await both(run.warmupS);
    const [intake, acks] = await both(run.durationS);
    return { warmupS: run.warmupS, acks, intake };
  } finally {
    poster.close();
    agent.destroy();
  }
}

/** 200 with {received: true, duplicate: false}: recorded as a new notification. */
function acknowledgedAsNew(answer: Answer): boolean {
  if (answer.status !== 200) return false;
  try {
    const body = JSON.parse(answer.body) as { received?: unknown; duplicate?: unknown };
    return body.received === true && body.duplicate === false;
  } catch {
    return false;
  }
}

function notification(index: number) {
  const now = Math.floor(Date.now() / 1000);
  return {
    type: 'notification_event',
    app_id: 'bench-unlinked-app',
    id: `notif_bench_${index}_${randomUUID()}`,
    topic: TOPIC,
    created_at: now,
    delivery_attempts: 1,
    first_sent_at: now,
    data: {
      type: 'notification_event_data',
      item: {
        type: 'conversation',
        id: String(900_000 + index),
        contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: 'c1', email: 'jordan@example.com' }] },
        conversation_parts: { conversation_parts: [{ type: 'conversation_part', body: '<p>Can I get a refund?</p>' }] },
      },
    },
  };
}
