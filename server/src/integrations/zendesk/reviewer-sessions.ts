// Agent sessions for the Zendesk app: once Zendesk has proven who the agent is (OAuth), Countersign
// issues a short-lived token naming the agent, bound to the workspace, signed with a key of its own
// (secrets/signed-token.ts). The app sends it as X-Countersign-Reviewer with every decision, and asks
// again when it expires. Nothing is stored: the signature is the proof, the expiry the revocation.
import type { ZendeskAgent } from '../../approvals/reviewer-identity';
import type { ReviewerSessionVerifier } from '../../http/reviewer-principal';
import { SignedTokens } from '../../secrets/signed-token';

/** An agent session's lifetime: a working stretch, after which Zendesk is asked again (no consent screen by then). */
export const REVIEWER_SESSION_TTL_MS = 60 * 60 * 1000;

interface SessionPayload {
  workspaceId: string;
  agent: ZendeskAgent;
  /** The signed expiry, repeated for the sidebar's "until when" (the token's own expiry is what is enforced). */
  expiresAt: number;
}

export class ReviewerSessions implements ReviewerSessionVerifier {
  private readonly tokens: SignedTokens;

  constructor(secretKey: Buffer, private readonly clock: () => number = Date.now) {
    this.tokens = new SignedTokens(secretKey, 'reviewer-session');
  }

  issue(workspaceId: string, agent: ZendeskAgent, ttlMs = REVIEWER_SESSION_TTL_MS): { token: string; expiresAt: number } {
    const expiresAt = this.clock() + ttlMs;
    return { token: this.tokens.sign(JSON.stringify({ workspaceId, agent, expiresAt } satisfies SessionPayload), expiresAt), expiresAt };
  }

  /** The agent, when the token is genuine, unexpired and this workspace's; else null. */
  verify(token: string, workspaceId: string): ZendeskAgent | null {
    return this.inspect(token, workspaceId)?.agent ?? null;
  }

  /** The agent and the session's expiry, under the same conditions as verify. */
  inspect(token: string, workspaceId: string): { agent: ZendeskAgent; expiresAt: number } | null {
    const session = this.open(token);
    return session?.workspaceId === workspaceId ? { agent: session.agent, expiresAt: session.expiresAt } : null;
  }

  /** The session's workspace and agent, when the token is genuine and unexpired; else null (the stream's `?session=`). */
  open(token: string): SessionPayload | null {
    const payload = this.tokens.verify(token, this.clock());
    if (payload === null) return null;
    try {
      return JSON.parse(payload) as SessionPayload;
    } catch {
      return null;
    }
  }
}
