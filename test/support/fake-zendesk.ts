// A real HTTP server on loopback playing Zendesk for agent sign-in: the consent page (which "allows"
// at once, as the agent chosen beforehand, and redirects back with a code), the token exchange, the
// users/me and group-membership reads, and the ticket update that carries Countersign's notes. It
// checks what Zendesk would (client id and secret, redirect URL, single-use codes, bearer tokens) and
// records every request, so tests can see what was sent and that no secret leaked elsewhere.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeZendeskUser {
  id: number;
  name: string;
  email: string;
  role: 'end-user' | 'agent' | 'admin';
  custom_role_id?: number | null;
  suspended?: boolean;
  groups: number[];
}

export interface RecordedZendeskRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, any>;
}

export const OAUTH_CLIENT_ID = 'countersign-test';
export const OAUTH_CLIENT_SECRET = 'zd-oauth-secret-0123456789abcdef';

interface Grant {
  userId: number;
  redirectUri: string;
  used: boolean;
}

export class FakeZendesk {
  readonly received: RecordedZendeskRequest[] = [];
  readonly users = new Map<number, FakeZendeskUser>();
  /** Access tokens handed out, by token: whose they are. */
  readonly tokens = new Map<string, number>();
  /** Codes handed out by the consent page. */
  readonly codes = new Map<string, Grant>();
  /** Who "allows" the next consent; null makes the consent page answer access_denied. */
  signInAs: number | null = null;
  /** Memberships per page of group_memberships.json (Zendesk's default is 100). */
  pageSize = 100;
  /** When set, /oauth/tokens answers this status with invalid_grant whatever it is sent. */
  refuseCodes: number | null = null;
  url = '';
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  constructor(users: FakeZendeskUser[] = []) {
    for (const user of users) this.users.set(user.id, user);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** What the consent page would do for `authorizeUrl`: the URL Zendesk sends the browser back to. */
  consent(authorizeUrl: string): string {
    const url = new URL(authorizeUrl);
    if (url.origin !== this.url || url.pathname !== '/oauth/authorizations/new') throw new Error(`not this Zendesk's consent page: ${authorizeUrl}`);
    const redirectUri = url.searchParams.get('redirect_uri')!;
    const back = new URL(redirectUri);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    if (this.signInAs === null) {
      back.searchParams.set('error', 'access_denied');
      return back.href;
    }
    const code = randomBytes(12).toString('hex');
    this.codes.set(code, { userId: this.signInAs, redirectUri, used: false });
    back.searchParams.set('code', code);
    return back.href;
  }

  notes(ticketId: string): RecordedZendeskRequest[] {
    return this.received.filter((r) => r.method === 'PUT' && r.path === `/api/v2/tickets/${ticketId}.json`);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, any> = {};
      try {
        json = JSON.parse(body) as Record<string, any>;
      } catch {
        // recorded as it came
      }
      const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, json };
      this.received.push(request);
      const [status, answer] = this.answer(request);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  }

  private answer(request: RecordedZendeskRequest): [number, unknown] {
    const url = new URL(request.path, this.url);
    if (request.method === 'POST' && url.pathname === '/oauth/tokens') return this.exchange(request.json);
    if (request.method === 'PUT' && /^\/api\/v2\/tickets\/\d+\.json$/.test(url.pathname)) return [200, { ticket: {} }];
    const user = this.bearer(request);
    if (!user) return [401, { error: 'invalid_token', error_description: 'The access token provided is expired, revoked, malformed or invalid.' }];
    if (request.method === 'GET' && url.pathname === '/api/v2/users/me.json') {
      const { groups: _groups, ...fields } = user;
      return [200, { user: { ...fields, custom_role_id: user.custom_role_id ?? null, suspended: user.suspended ?? false, active: true } }];
    }
    const memberships = /^\/api\/v2\/users\/(\d+)\/group_memberships\.json$/.exec(url.pathname);
    if (request.method === 'GET' && memberships) {
      if (Number(memberships[1]) !== user.id) return [403, { error: 'Forbidden' }];
      const page = Number(url.searchParams.get('page') ?? '1');
      const slice = user.groups.slice((page - 1) * this.pageSize, page * this.pageSize);
      const more = page * this.pageSize < user.groups.length;
      return [200, {
        group_memberships: slice.map((groupId, i) => ({ id: 9000 + i, user_id: user.id, group_id: groupId, default: i === 0 })),
        next_page: more ? `${this.url}${url.pathname}?page=${page + 1}` : null,
        count: user.groups.length,
      }];
    }
    return [404, { error: 'InvalidEndpoint' }];
  }

  private exchange(body: Record<string, any>): [number, unknown] {
    const invalid: [number, unknown] = [this.refuseCodes ?? 400, { error: 'invalid_grant', error_description: 'The provided access grant is invalid, expired, or revoked.' }];
    if (this.refuseCodes !== null) return invalid;
    if (body.grant_type !== 'authorization_code' || body.client_id !== OAUTH_CLIENT_ID || body.client_secret !== OAUTH_CLIENT_SECRET) return [401, { error: 'invalid_client' }];
    const grant = this.codes.get(String(body.code));
    if (!grant || grant.used || grant.redirectUri !== body.redirect_uri) return invalid;
    grant.used = true;
    const token = randomBytes(20).toString('hex');
    this.tokens.set(token, grant.userId);
    return [200, { access_token: token, token_type: 'bearer', scope: 'read' }];
  }

  private bearer(request: RecordedZendeskRequest): FakeZendeskUser | null {
    const match = /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''));
    const userId = match ? this.tokens.get(match[1]!) : undefined;
    return userId === undefined ? null : (this.users.get(userId) ?? null);
  }
}
