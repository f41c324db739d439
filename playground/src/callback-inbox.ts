// The playground's stand-in for the automations' decision receivers, one per channel (the Zendesk
// automation and the Intercom one each have their own): it checks each callback's Standard Webhooks
// signature the way a real receiver would and keeps the last ones for the page to show.
import { verifySignature } from '@countersign/server/delivery';

const KEEP = 100;

export const CALLBACK_CHANNELS = ['zendesk', 'intercom'] as const;
export type CallbackChannel = (typeof CALLBACK_CHANNELS)[number];

export function isCallbackChannel(value: string): value is CallbackChannel {
  return (CALLBACK_CHANNELS as readonly string[]).includes(value);
}

/** Where the playground's automation for this channel receives its decision callbacks. */
export function receiverUrl(selfUrl: string, channel: CallbackChannel): string {
  return `${selfUrl}/playground/receiver/${channel}/callback`;
}

export interface ReceivedCallback {
  channel: CallbackChannel;
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
  /** Newest first, per channel. */
  private readonly received = new Map<CallbackChannel, ReceivedCallback[]>();

  record(channel: CallbackChannel, headers: CallbackHeaders, rawBody: string, secrets: string[]): ReceivedCallback {
    const message = { ...headers, body: rawBody };
    const entry: ReceivedCallback = {
      channel,
      receivedAt: new Date().toISOString(),
      webhookId: headers.id ?? null,
      signatureValid: secrets.some((secret) => verifySignature(secret, message).ok),
      body: parseOrText(rawBody),
    };
    const kept = this.received.get(channel) ?? [];
    kept.unshift(entry);
    kept.length = Math.min(kept.length, KEEP);
    this.received.set(channel, kept);
    return entry;
  }

  /** Newest first; one channel's, or every channel's. */
  list(channel?: CallbackChannel): ReceivedCallback[] {
    if (channel) return [...(this.received.get(channel) ?? [])];
    return [...this.received.values()].flat().sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }
}

export function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
