// Zendesk vouches for the agent: the sidebar (with the Zendesk app's key, through Zendesk's proxy, so
// Countersign knows the workspace) starts Zendesk's OAuth consent; Zendesk sends the agent's browser
// back to the callback with a code; Countersign exchanges it, reads who the agent is and their groups,
// and issues a reviewer session (reviewer-sessions.ts).
//
// The session reaches the sidebar through the store, not through the browser: whether Zendesk's
// consent page sets a Cross-Origin-Opener-Policy that severs window.opener is unknown, so the consent
// window cannot be relied on to talk to the sidebar. The callback leaves the session sealed under the
// hash of a one-time claim secret that only the start call's answer carried (so only the sidebar that
// started knows it), and the sidebar collects it through the proxy. The consent window also posts the
// sidebar a message (to the origin named in the signed state) so it collects at once; that message
// carries no secret, so a window opened by anyone else learns nothing from it.
//
// What this cannot prevent: someone who can already use the sidebar (an agent of this Zendesk account)
// sending another agent the consent link and collecting that agent's session, if the other agent
// allows it. The state expires in 10 minutes, each session is logged with who it names, and a session
// only lets its holder decide as that agent through this workspace's app key.
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { SignInClaim, SignInStart, SignInStatus, SignedInReviewer } from '@countersign/shared';
import { AppError } from '../../approvals/errors';
import type { SessionHandoffStore, WorkspaceStore } from '../../approvals/ports';
import type { ZendeskAgent } from '../../approvals/reviewer-identity';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import type { CallbackGuard } from '../../outbound/callback-guard';
import type { SecretBox } from '../../secrets/secret-box';
import type { SignedTokens } from '../../secrets/signed-token';
import type { ReviewerSessions } from './reviewer-sessions';
import { exchangeCode, provenAgent } from './zendesk-oauth';
import type { ZendeskSettings, ZendeskSignInSetup } from './zendesk-settings';

export const CALLBACK_PATH = '/zendesk/oauth/callback';
/** How long the agent has to finish in Zendesk. */
export const SIGN_IN_STATE_TTL_MS = 10 * 60 * 1000;
/** How long a finished sign-in waits for the sidebar to collect it (it asks every couple of seconds). */
export const HANDOFF_TTL_MS = 2 * 60 * 1000;
export const POLL_INTERVAL_MS = 2000;

/** What the signed state carries from the start call to the callback. */
interface SignInState {
  /** Workspace. */
  w: string;
  /** The claim secret's hash: where the outcome is left. */
  c: string;
  /** The sidebar's origin, the only one the consent window's message may go to. */
  o: string;
  /** The app key that started it (for the log). */
  k: string;
}

/** What the sidebar collects: the session, or why Zendesk's answer could not make one. */
type Outcome = { outcome: 'signed_in'; token: string; expiresAt: number; reviewer: SignedInReviewer } | { outcome: 'refused'; code: string; message: string };

/** What the callback page shows: who signed in, or why not; and where its window may tell the sidebar. */
export type CallbackResult =
  | { origin: string; reviewer: SignedInReviewer; refusal: null }
  /** origin is null when the state itself was not genuine: then nothing may be told to anyone. */
  | { origin: string | null; reviewer: null; refusal: AppError };

export interface AgentSignInDeps {
  workspaces: Pick<WorkspaceStore, 'get'>;
  handoffs: SessionHandoffStore;
  zendesk: ZendeskSettings;
  sessions: ReviewerSessions;
  box: SecretBox;
  stateTokens: SignedTokens;
  guard: CallbackGuard;
  /** Countersign's public URL (the redirect URL registered on the OAuth client is this + CALLBACK_PATH). */
  publicUrl: () => string;
  log: Logger;
  clock?: () => number;
}

export class AgentSignIn {
  private readonly clock: () => number;

  constructor(private readonly deps: AgentSignInDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  start(workspace: WorkspaceRecord, keyId: string, origin: string): SignInStart {
    const setup = this.setup(workspace);
    const claimSecret = randomBytes(32).toString('base64url');
    const expiresAt = this.clock() + SIGN_IN_STATE_TTL_MS;
    const state = this.deps.stateTokens.sign(JSON.stringify({ w: workspace.id, c: claimId(claimSecret), o: origin, k: keyId } satisfies SignInState), expiresAt);
    const authorize = new URL(`${setup.baseUrl}/oauth/authorizations/new`);
    authorize.search = new URLSearchParams({ response_type: 'code', client_id: setup.clientId, redirect_uri: this.redirectUri(), scope: 'read', state }).toString();
    return { authorizeUrl: authorize.href, claimSecret, expiresAt: new Date(expiresAt).toISOString(), pollIntervalMs: POLL_INTERVAL_MS };
  }

  /**
   * Zendesk's redirect: `state` must be genuine and unexpired (SignedTokens compares its MAC in
   * constant time) before anything else is looked at. A refusal after that is also left for the
   * sidebar, which then stops waiting and says why.
   */
  async complete(query: { state?: string; code?: string; error?: string }): Promise<CallbackResult> {
    let state: SignInState;
    try {
      state = this.openState(query.state);
    } catch (error) {
      if (error instanceof AppError) return { origin: null, reviewer: null, refusal: error };
      throw error;
    }
    try {
      return { origin: state.o, reviewer: await this.signIn(state, query), refusal: null };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await this.leave(state, { outcome: 'refused', code: error.code, message: error.message });
      return { origin: state.o, reviewer: null, refusal: error };
    }
  }

  /** The session left for this claim secret, once; `pending` while there is none (yet). */
  async claim(workspace: WorkspaceRecord, claimSecret: string): Promise<SignInClaim> {
    const id = claimId(claimSecret);
    const handoff = await this.deps.handoffs.take(workspace.id, id, this.clock());
    if (!handoff) return { status: 'pending' };
    const outcome = JSON.parse(this.deps.box.open(handoff.sealedSession, binding(id))) as Outcome;
    if (outcome.outcome === 'refused') return { status: 'refused', code: outcome.code, message: outcome.message };
    return { status: 'signed_in', session: { value: outcome.token, expiresAt: new Date(outcome.expiresAt).toISOString(), reviewer: outcome.reviewer } };
  }

  status(workspace: WorkspaceRecord, token: string | undefined): SignInStatus {
    const session = token ? this.deps.sessions.inspect(token, workspace.id) : null;
    if (!session) return { signedIn: false, reviewer: null, expiresAt: null };
    return { signedIn: true, reviewer: reviewerOf(session.agent), expiresAt: new Date(session.expiresAt).toISOString() };
  }

  redirectUri(): string {
    return `${this.deps.publicUrl()}${CALLBACK_PATH}`;
  }

  private async signIn(state: SignInState, query: { code?: string; error?: string }): Promise<SignedInReviewer> {
    if (query.error !== undefined) throw new AppError('forbidden', 'sign_in_declined', 'You did not allow Countersign to confirm who you are, so you cannot decide requests yet. Close this window; you can confirm again from the sidebar.');
    if (!query.code) throw new AppError('bad_request', 'missing_code', 'Zendesk sent no sign-in code. Close this window and confirm again from the sidebar.');
    const workspace = await this.deps.workspaces.get(state.w);
    if (!workspace) throw new AppError('bad_request', 'workspace_gone', 'The workspace this sign-in was for no longer exists.');
    const setup = this.setup(workspace);
    const agent = await provenAgent(setup, await exchangeCode(setup, query.code, this.redirectUri(), this.deps.guard), this.deps.guard);
    const session = this.deps.sessions.issue(workspace.id, agent);
    const reviewer = reviewerOf(agent);
    const left = await this.leave(state, { outcome: 'signed_in', token: session.token, expiresAt: session.expiresAt, reviewer });
    if (!left) throw new AppError('conflict', 'sign_in_used', 'This sign-in was already finished. Close this window.');
    this.deps.log.info({ workspace: workspace.name, zendeskUser: agent.id, role: agent.role, groups: agent.groups.length, key: state.k }, 'zendesk agent signed in');
    return reviewer;
  }

  private openState(raw: string | undefined): SignInState {
    const payload = this.deps.stateTokens.verify(raw, this.clock());
    let state: Partial<SignInState> | null = null;
    try {
      state = payload === null ? null : (JSON.parse(payload) as Partial<SignInState>);
    } catch {
      state = null;
    }
    if (!state || typeof state.w !== 'string' || typeof state.c !== 'string' || typeof state.o !== 'string' || typeof state.k !== 'string') {
      throw new AppError('bad_request', 'sign_in_expired', 'This sign-in link has expired or was altered. Close this window and press "Confirm it\'s you" in the sidebar again.');
    }
    return state as SignInState;
  }

  private setup(workspace: WorkspaceRecord): ZendeskSignInSetup {
    const setup = this.deps.zendesk.signIn(workspace);
    if (!setup) throw new AppError('conflict', 'zendesk_sign_in_not_configured', 'Zendesk sign-in is not set up for this workspace: an admin stores the Zendesk OAuth client with `npm run admin -- zendesk oauth set` (see the README, "Zendesk sign-in").');
    return setup;
  }

  private leave(state: SignInState, outcome: Outcome): Promise<boolean> {
    return this.deps.handoffs.put({ id: state.c, workspaceId: state.w, sealedSession: this.deps.box.seal(JSON.stringify(outcome), binding(state.c)), expiresAt: this.clock() + HANDOFF_TTL_MS });
  }
}

function claimId(claimSecret: string): string {
  return createHash('sha256').update(claimSecret).digest('hex');
}

function binding(id: string): string {
  return `session-handoff:${id}`;
}

function reviewerOf(agent: ZendeskAgent): SignedInReviewer {
  return { id: agent.id, name: agent.name, ...(agent.email ? { email: agent.email } : {}), via: 'zendesk' };
}
