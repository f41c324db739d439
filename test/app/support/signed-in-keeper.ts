// The sign-in's SessionKeeper with a session already kept, as if the agent had confirmed who they
// are: for tests of what reads the session (the stream, the queue) rather than of the sign-in.
import type { ReviewerSession } from '@countersign/shared';
import { SessionKeeper } from '../../../zendesk-app/src/sign-in/session-keeper';

const HOUR = 3_600_000;

/** A session as Countersign issues it, running out `ttlMs` after `now`. */
export function issuedSession(value: string, ttlMs = HOUR, now = Date.now()): ReviewerSession {
  return { value, expiresAt: new Date(now + ttlMs).toISOString(), reviewer: { id: '7', name: 'Avery Agent', email: 'avery@example.com', via: 'zendesk' } };
}

export function signedInKeeper(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>, value = 'agent-session'): SessionKeeper {
  const keeper = new SessionKeeper(storage);
  keeper.keep(issuedSession(value));
  return keeper;
}
