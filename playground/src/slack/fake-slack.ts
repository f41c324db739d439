// A fake Slack workspace behind a fake Web API, enough for Countersign's calls: auth.test,
// chat.postMessage (threads too), chat.update, chat.postEphemeral, users.info and views.open. It keeps
// what it was sent (messages as their real Block Kit, ephemerals, opened modals) for the playground's
// Slack tab and for tests, and answers as Slack does: HTTP 200 with {"ok": false, "error"} for a
// refusal. Requests are Slack's form encoding (objects such as blocks and view as JSON strings) with
// the bot token as a Bearer token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';

export interface FakeSlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_restricted?: boolean;
  profile: { email?: string; real_name: string; display_name: string };
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** The message it replies to, in a thread. */
  threadTs: string | null;
  /** How many times chat.update rewrote it. */
  updates: number;
  postedAt: number;
  updatedAt: number;
}

export interface FakeSlackEphemeral {
  channel: string;
  user: string;
  text: string;
  at: number;
}

export interface FakeSlackView {
  id: string;
  triggerId: string;
  view: Record<string, unknown>;
  openedAt: number;
}

export interface FakeSlackAnswer {
  ok: boolean;
  [field: string]: unknown;
}

/** How long a trigger_id may be used for views.open, as Slack allows. */
const TRIGGER_TTL_MS = 3000;
/** Fields Slack's clients send as JSON text inside the form. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

export class FakeSlackWorkspace {
  readonly botToken = `xoxb-fake-${randomBytes(12).toString('hex')}`;
  readonly signingSecret = randomBytes(24).toString('hex');
  readonly botUserId = 'U0COUNTERSIGN';
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Set<string>();
  readonly messages: FakeSlackMessage[] = [];
  readonly ephemerals: FakeSlackEphemeral[] = [];
  readonly views: FakeSlackView[] = [];
  /** Every call, in order, without the token. */
  readonly calls: Array<{ method: string; args: Record<string, unknown>; at: number }> = [];
  private readonly triggers = new Map<string, number>();
  private sequence = 0;

  constructor(
    readonly teamId: string,
    readonly teamName: string,
    private readonly clock: () => number = Date.now,
  ) {}

  addUser(id: string, name: string, options: { email?: string; teamId?: string; deleted?: boolean; isBot?: boolean; guest?: boolean } = {}): FakeSlackUser {
    const user: FakeSlackUser = {
      id,
      team_id: options.teamId ?? this.teamId,
      name: name.toLowerCase().replace(/\s+/g, '.'),
      real_name: name,
      ...(options.deleted ? { deleted: true } : {}),
      ...(options.isBot ? { is_bot: true } : {}),
      ...(options.guest ? { is_restricted: true } : {}),
      profile: { ...(options.email ? { email: options.email } : {}), real_name: name, display_name: name.split(' ')[0] ?? name },
    };
    this.users.set(id, user);
    return user;
  }

  /** A trigger_id as Slack puts in an interaction, usable for views.open for 3 seconds. */
  newTrigger(): string {
    const trigger = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(trigger, this.clock() + TRIGGER_TTL_MS);
    return trigger;
  }

  /** The messages posted to a channel (not thread replies), oldest first. */
  channelMessages(channel: string): FakeSlackMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === null);
  }

  replies(channel: string, ts: string): FakeSlackMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === ts);
  }

  /** One Web API call, as Slack would answer it. */
  handle(method: string, args: Record<string, unknown>, token: string | null): FakeSlackAnswer {
    this.calls.push({ method, args, at: this.clock() });
    if (!token || !sameSecret(token, this.botToken)) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: `https://${this.teamName.toLowerCase()}.slack.example/`, team: this.teamName, user: 'countersign', team_id: this.teamId, user_id: this.botUserId, bot_id: 'B0COUNTERSIGN' };
      case 'chat.postMessage':
        return this.post(args);
      case 'chat.update':
        return this.update(args);
      case 'chat.postEphemeral':
        return this.ephemeral(args);
      case 'users.info': {
        const user = this.users.get(String(args.user ?? ''));
        return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
      }
      case 'views.open':
        return this.openView(args);
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private post(args: Record<string, unknown>): FakeSlackAnswer {
    const channel = String(args.channel ?? '');
    if (!this.channels.has(channel)) return { ok: false, error: 'channel_not_found' };
    if (typeof args.text !== 'string' && !Array.isArray(args.blocks)) return { ok: false, error: 'no_text' };
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : null;
    if (threadTs && !this.messages.some((m) => m.channel === channel && m.ts === threadTs)) return { ok: false, error: 'thread_not_found' };
    const now = this.clock();
    const message: FakeSlackMessage = { channel, ts: this.nextTs(now), text: String(args.text ?? ''), blocks: Array.isArray(args.blocks) ? args.blocks : [], threadTs, updates: 0, postedAt: now, updatedAt: now };
    this.messages.push(message);
    return { ok: true, channel, ts: message.ts, message: { type: 'message', text: message.text, ts: message.ts, blocks: message.blocks } };
  }

  private update(args: Record<string, unknown>): FakeSlackAnswer {
    const channel = String(args.channel ?? '');
    if (!this.channels.has(channel)) return { ok: false, error: 'channel_not_found' };
    const message = this.messages.find((m) => m.channel === channel && m.ts === args.ts);
    if (!message) return { ok: false, error: 'message_not_found' };
    message.text = String(args.text ?? message.text);
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    message.updates++;
    message.updatedAt = this.clock();
    return { ok: true, channel, ts: message.ts, text: message.text };
  }

  private ephemeral(args: Record<string, unknown>): FakeSlackAnswer {
    const channel = String(args.channel ?? '');
    if (!this.channels.has(channel)) return { ok: false, error: 'channel_not_found' };
    if (typeof args.user !== 'string' || !args.user) return { ok: false, error: 'user_not_found' };
    this.ephemerals.push({ channel, user: String(args.user), text: String(args.text ?? ''), at: this.clock() });
    return { ok: true, message_ts: this.nextTs(this.clock()) };
  }

  private openView(args: Record<string, unknown>): FakeSlackAnswer {
    const triggerId = String(args.trigger_id ?? '');
    const until = this.triggers.get(triggerId);
    if (until === undefined) return { ok: false, error: 'invalid_trigger_id' };
    this.triggers.delete(triggerId);
    if (until < this.clock()) return { ok: false, error: 'expired_trigger_id' };
    const view = args.view;
    if (!view || typeof view !== 'object' || (view as { type?: unknown }).type !== 'modal') return { ok: false, error: 'invalid_arguments' };
    const opened: FakeSlackView = { id: `V${randomBytes(5).toString('hex').toUpperCase()}`, triggerId, view: view as Record<string, unknown>, openedAt: this.clock() };
    this.views.push(opened);
    return { ok: true, view: { id: opened.id, ...opened.view } };
  }

  private nextTs(now: number): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    return `${Math.floor(now / 1000)}.${String(this.sequence).padStart(6, '0')}`;
  }
}

/** The fake's Web API as routes: POST {mount}/{method}, Slack's form encoding, the token as Bearer. */
export function fakeSlackApiRoutes(mount: string, fake: () => FakeSlackWorkspace | null): Router {
  const router = Router();
  router.post(`${mount}/:method`, express.raw({ type: () => true, limit: 1024 * 1024 }), (req, res) => {
    const workspace = fake();
    if (!workspace) return void res.status(503).json({ ok: false, error: 'service_unavailable' });
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? null;
    res.json(workspace.handle(String(req.params.method), slackFormArgs(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : ''), token));
  });
  return router;
}

/** A Web API call's arguments from Slack's form encoding (or JSON, which Slack also takes). */
export function slackFormArgs(body: string): Record<string, unknown> {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (key === '__proto__') continue;
    if (!JSON_FIELDS.has(key)) {
      args[key] = value;
      continue;
    }
    try {
      args[key] = JSON.parse(value);
    } catch {
      args[key] = value;
    }
  }
  return args;
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
