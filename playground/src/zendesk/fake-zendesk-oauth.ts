// The playground's fake Zendesk as an OAuth provider, so a newcomer signs in and decides from the sample
// ticket without a Zendesk account: the consent page (/oauth/authorizations/new: pick one of the sample
// agents, "Allow"), the token exchange (/oauth/tokens) and the two reads Countersign makes
// (/api/v2/users/me.json, /api/v2/users/{id}/group_memberships.json), answering as Zendesk does. It
// checks what Zendesk checks: the client id and secret, the registered redirect URL, single-use codes
// and bearer tokens.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '@countersign/server/approvals';
import { escapeHtml, htmlPage, jsonBody, validate } from '@countersign/server/http';
import { SAMPLE_AGENTS, sampleAgent, type SampleAgent } from './sample-agents';

export const FAKE_ZENDESK_PATH = '/playground/zendesk';
const CODE_TTL_MS = 5 * 60 * 1000;
const TOKEN_TTL_MS = 10 * 60 * 1000;
/** Enough for a room full of newcomers; the oldest go first. */
const KEEP = 500;

/** What the playground's OAuth client is: the redirect URL Countersign registered, the secret it holds. */
export interface FakeOAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

const AuthorizeQuery = z.object({
  response_type: z.literal('code'),
  client_id: z.string().min(1).max(200),
  redirect_uri: z.string().min(1).max(2000),
  scope: z.string().max(200).optional(),
  state: z.string().min(1).max(4000),
});

const Consent = z.object({
  client_id: z.string().min(1).max(200),
  redirect_uri: z.string().min(1).max(2000),
  state: z.string().min(1).max(4000),
  agent: z.coerce.number().int().optional(),
  decision: z.enum(['allow', 'deny']),
});

const TokenRequest = z.object({
  grant_type: z.string(),
  code: z.string(),
  client_id: z.string(),
  client_secret: z.string(),
  redirect_uri: z.string(),
});

interface Grant {
  agentId: number;
  redirectUri: string;
  until: number;
}

export class FakeZendeskOAuth {
  private readonly codes = new Map<string, Grant>();
  private readonly tokens = new Map<string, { agentId: number; until: number }>();

  constructor(private readonly client: () => FakeOAuthClient | null) {}

  routes(): Router {
    const router = Router();
    router.get(`${FAKE_ZENDESK_PATH}/oauth/authorizations/new`, (req, res) => {
      const query = validate(AuthorizeQuery, req.query, 'query');
      this.knownClient(query.client_id, query.redirect_uri);
      res.type('html').send(consentPage(query));
    });
    router.post(`${FAKE_ZENDESK_PATH}/oauth/authorizations`, express.urlencoded({ extended: false, limit: 16 * 1024 }), (req, res) => {
      const consent = validate(Consent, req.body);
      this.knownClient(consent.client_id, consent.redirect_uri);
      const back = new URL(consent.redirect_uri);
      back.searchParams.set('state', consent.state);
      const agent = consent.agent === undefined ? null : sampleAgent(consent.agent);
      if (consent.decision === 'deny' || !agent) back.searchParams.set('error', 'access_denied');
      else back.searchParams.set('code', this.grant(agent, consent.redirect_uri));
      res.redirect(302, back.href);
    });
    router.post(`${FAKE_ZENDESK_PATH}/oauth/tokens`, ...jsonBody({ limitBytes: 16 * 1024 }), (req, res) => this.exchange(req.body, res));
    router.get(`${FAKE_ZENDESK_PATH}/api/v2/users/me.json`, (req, res) => {
      const agent = this.bearer(req.get('authorization'));
      res.json({ user: { id: agent.id, name: agent.name, email: agent.email, role: agent.role, custom_role_id: agent.customRoleId, suspended: false, active: true } });
    });
    router.get(`${FAKE_ZENDESK_PATH}/api/v2/users/:id/group_memberships.json`, (req, res) => {
      const agent = this.bearer(req.get('authorization'));
      if (String(agent.id) !== req.params.id) throw new AppError('forbidden', 'forbidden', 'You do not have access to this page.');
      const memberships = agent.groups.map((group, i) => ({ id: agent.id * 10 + i, user_id: agent.id, group_id: group.id, default: i === 0 }));
      res.json({ group_memberships: memberships, next_page: null, previous_page: null, count: memberships.length });
    });
    return router;
  }

  private knownClient(clientId: string, redirectUri: string): FakeOAuthClient {
    const client = this.client();
    if (!client) throw new AppError('unavailable', 'playground_starting', 'The playground is still starting; try again in a moment.');
    if (clientId !== client.clientId) throw new AppError('bad_request', 'invalid_client', 'Client authentication failed due to unknown client.');
    // Zendesk sends the browser only to a redirect URL registered on the client.
    if (redirectUri !== client.redirectUri) throw new AppError('bad_request', 'invalid_redirect_uri', `The redirect URL is not registered for this client; it must be ${client.redirectUri}.`);
    return client;
  }

  private grant(agent: SampleAgent, redirectUri: string): string {
    const code = randomBytes(18).toString('base64url');
    remember(this.codes, code, { agentId: agent.id, redirectUri, until: Date.now() + CODE_TTL_MS });
    return code;
  }

  /** Refusals in Countersign's error shape (Zendesk's own is {error, error_description}; Countersign reads neither). */
  private exchange(body: unknown, res: Response): void {
    const request = TokenRequest.safeParse(body);
    const client = this.client();
    if (!request.success || request.data.grant_type !== 'authorization_code') throw new AppError('bad_request', 'unsupported_grant_type', 'The authorization grant type is not supported.');
    if (!client || request.data.client_id !== client.clientId || !same(request.data.client_secret, client.clientSecret)) {
      throw new AppError('unauthorized', 'invalid_client', 'Client authentication failed.');
    }
    const grant = this.codes.get(request.data.code);
    this.codes.delete(request.data.code);
    if (!grant || grant.until < Date.now() || grant.redirectUri !== request.data.redirect_uri) {
      throw new AppError('bad_request', 'invalid_grant', 'The provided access grant is invalid, expired, or revoked.');
    }
    const token = randomBytes(24).toString('base64url');
    remember(this.tokens, token, { agentId: grant.agentId, until: Date.now() + TOKEN_TTL_MS });
    res.json({ access_token: token, token_type: 'bearer', scope: 'read' });
  }

  private bearer(authorization: string | undefined): SampleAgent {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const held = token ? this.tokens.get(token) : undefined;
    const agent = held && held.until > Date.now() ? sampleAgent(held.agentId) : null;
    if (!agent) throw new AppError('unauthorized', 'invalid_token', 'The access token provided is expired, revoked, malformed or invalid.');
    return agent;
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= KEEP) break;
    map.delete(oldest);
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function consentPage(query: z.output<typeof AuthorizeQuery>): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const choices = SAMPLE_AGENTS.map((agent, i) => `<label class="agent"><input type="radio" name="agent" value="${agent.id}" data-testid="consent-agent-${agent.id}"${i === 0 ? ' checked' : ''}>
<strong>${escapeHtml(agent.name)}</strong> · ${escapeHtml(agent.email)}<br><small>${escapeHtml(agent.roleLabel)} · groups: ${agent.groups.map((g) => `${escapeHtml(g.name)} (${g.id})`).join(', ')}</small></label>`).join('\n');
  return htmlPage('Allow access · Zendesk (playground)', `<style>.agent{display:block;margin:.5rem 0;padding:.5rem .75rem;border:1px solid #d8dcde;border-radius:4px}button{font:inherit;padding:.4rem 1rem;margin-right:.5rem}</style>
<h1>Countersign wants to confirm who you are</h1>
<p>This is the playground's stand-in for Zendesk's consent page. In Zendesk you are already signed in as yourself; here, pick one of the sample agents to be. Countersign asks for <code>${escapeHtml(query.scope ?? 'read')}</code> access, reads who you are and your groups once, and keeps nothing else.</p>
<form method="post" action="${FAKE_ZENDESK_PATH}/oauth/authorizations" data-testid="consent-form">
${hidden('client_id', query.client_id)}${hidden('redirect_uri', query.redirect_uri)}${hidden('state', query.state)}
<fieldset><legend>Sign in as</legend>
${choices}
</fieldset>
<p><button type="submit" name="decision" value="allow" data-testid="consent-allow">Allow</button><button type="submit" name="decision" value="deny" data-testid="consent-deny">Cancel</button></p>
</form>`);
}
