// The playground's stand-in for an automation's decision receiver: it checks each callback's Standard
// Webhooks signature the way a real receiver would and keeps the last few for the page to show.
import { verifySignature } from '../delivery/signing';

const KEEP = 50;

export interface ReceivedCallback {
  receivedAt: string;
  webhookId: string | null;
  signatureValid: boolean;
  body: unknown;
}

export interface CallbackHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export class CallbackInbox {
  private readonly received: ReceivedCallback[] = [];

  record(headers: CallbackHeaders, rawBody: string, secrets: string[]): ReceivedCallback {
    const message = { ...headers, body: rawBody };
    const entry: ReceivedCallback = {
      receivedAt: new Date().toISOString(),
      webhookId: headers.id ?? null,
      signatureValid: secrets.some((secret) => verifySignature(secret, message).ok),
      body: parseOrText(rawBody),
    };
    this.received.unshift(entry);
    this.received.length = Math.min(this.received.length, KEEP);
    return entry;
  }

  list(): ReceivedCallback[] {
    return [...this.received];
  }
}

export function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
