// `npm run admin -- …`: workspaces, keys and callback secrets, straight on the store the server uses
// (same environment variables). Safe to run while the server is up.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { parseDuration } from '../config/duration';
import { AppError } from '../approvals/errors';
import { KEY_FILE, loadSecretKey, SecretKeyError, verifySecretKey } from '../secrets/master-key';
import { IntercomSettings, gatedWording, gateTopics, parseRegion, type GatedTopicWording } from '../integrations/intercom/intercom-settings';
import { PLACEHOLDERS } from '../integrations/intercom/request-templates';
import { ZendeskSettings } from '../integrations/zendesk/zendesk-settings';
import { CALLBACK_PATH } from '../integrations/zendesk/agent-sign-in';
import { SecretBox } from '../secrets/secret-box';
import { openStore, SQLITE_FILE } from '../store/open-store';
import { backupSqlite } from '../store/sqlite/online-backup';
import { backlogReport } from '../monitoring/backlog-report';
import type { ApiKeyRecord, KeyReviewer, KeyScope, WorkspaceRecord } from '../approvals/workspace-records';
import { Policies } from '../approvals/policies';
import { POLICY_COMMANDS } from './policy-commands';
import { SLACK_COMMANDS } from './slack-commands';
import type { Store } from '../approvals/ports';
import { notesOnCreation, setNotesOnCreation, type NotedPlatform } from '../workspaces/creation-notes';
import { Workspaces } from '../workspaces/workspaces';

/** The template placeholders, four to a line, in the usage column. */
function placeholderList(): string {
  const names = Object.keys(PLACEHOLDERS).map((name) => `{${name}}`);
  const lines = Array.from({ length: Math.ceil(names.length / 4) }, (_, i) => names.slice(i * 4, i * 4 + 4).join(' '));
  return lines.join(`\n${' '.repeat(51)}`);
}

const USAGE = `Usage: npm run admin -- <command> [options]

  workspace create <name>                          create a workspace; prints its callback secret once
  workspace list
  key create --workspace <name> --scope intake|review|admin [--label <text>]
             [--reviewer-id <id> --reviewer-name <name> [--reviewer-email <email>]] [--delegate]
                                                   issue a key; printed once, stored only as a hash.
                                                   review keys: --reviewer-* makes a personal key (its
                                                   decisions are that person's), --delegate a key for a
                                                   trusted tool that names its user in each decision;
                                                   neither is the Zendesk app's key (decisions need the
                                                   agent's Zendesk sign-in). admin keys manage the policy
  key rotate <key-id>                              a new key with the same scope, person and label; the
                                                   old one is revoked
  key list [--workspace <name>]                    prefixes only, never whole keys
  key revoke <key-id>                              takes effect on the next request
  callback-secret show --workspace <name>
  callback-secret rotate --workspace <name> [--grace 24h]
                                                   new secret; the old one keeps signing (both
                                                   signatures are sent) until the grace ends

  zendesk signing-secret set --workspace <name> [--secret <s>]
                                                   from then on, intake to this workspace must carry a
                                                   valid X-Zendesk-Webhook-Signature (secret also read
                                                   from ZENDESK_SIGNING_SECRET, which keeps it out of
                                                   shell history)
  zendesk signing-secret clear --workspace <name>
  zendesk credentials set --workspace <name> --subdomain <acme> --email <agent email>
                          [--token <api token>] [--base-url <url>]
                                                   ticket notes; the token is also read from
                                                   ZENDESK_API_TOKEN and stored encrypted
  zendesk credentials clear --workspace <name>
  zendesk oauth set --workspace <name> --client-id <identifier> [--secret <s>]
                                                   agents confirm who they are in Zendesk before they
                                                   decide from the sidebar; the OAuth client's secret is
                                                   also read from ZENDESK_OAUTH_CLIENT_SECRET and stored
                                                   encrypted. Needs zendesk credentials set first
  zendesk oauth clear --workspace <name>           no more sign-ins (sessions already issued run out)
  zendesk creation-note on|off --workspace <name>  an internal note on the ticket as soon as a request on
                                                   it needs a human, so Zendesk notifies its assignee
                                                   (off by default; notes on decisions are always written)
  zendesk show --workspace <name>                  what is configured (never the secrets)
  intercom link --workspace <name> --intercom-workspace <id> [--region US|EU|AU] [--admin-id <id>]
                                                   link a workspace to an Intercom workspace (private
                                                   apps; public apps link through the OAuth install).
                                                   The access token is read from INTERCOM_ACCESS_TOKEN
  intercom gate --workspace <name> --topics <t1,t2> [--callback-url <url>]
                [--action <template>] [--summary <template>]
                                                   these webhook topics become approval requests,
                                                   named and summarised by the templates (for each
                                                   topic given; "" goes back to the topic's default).
                                                   placeholders: ${placeholderList()}
  intercom creation-note on|off --workspace <name> the same on Intercom conversations (written as the
                                                   link's admin)
  intercom show --workspace <name>                 the link, and each gated topic's action and summary
  intercom unlink --workspace <name>
  slack link --workspace <name> --channel <C…>     link a workspace to its self-hosted Slack app: requests
                                                   needing a human are posted to the channel (its id).
                                                   Reads SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (stored
                                                   encrypted) and checks the token with auth.test
  slack install-link --workspace <name> [--channel <C…>]
                                                   a link (valid 24 h) that starts "Add to Slack" for
                                                   this workspace: whoever installs the app with it
                                                   links their Slack workspace to it, posting to the
                                                   channel given or the one they pick. Needs the
                                                   server's SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and
                                                   SLACK_SIGNING_SECRET
  slack show --workspace <name>                    the link and how it was made (never the secrets)
  slack unlink --workspace <name>

  policy show --workspace <name>                   the policy in force (version, rules)
  policy set --workspace <name> --file <policy.json>
                                                   replace it whole (a new version); refused with every
                                                   problem listed when invalid
  policy test --workspace <name> --file <policy.json> [--since 30d]
                                                   what the policy would have done with past requests:
                                                   rule by rule, and which would have ended differently

  store status                                     pending approvals, outbox queue and failures, with
                                                   the oldest ages (for monitoring; use --json)
  store backup --to <file>                         online backup of the SQLite store (consistent while
                                                   the server runs); back up the secret key separately

Add --json for machine-readable output.`;

type Output = (human: string, data: unknown) => void;

interface CliOptions {
  workspace?: string; scope?: string; label?: string; grace?: string; secret?: string; subdomain?: string; email?: string; token?: string;
  'base-url'?: string; 'client-id'?: string; 'intercom-workspace'?: string; region?: string; 'admin-id'?: string; topics?: string; 'callback-url'?: string;
  action?: string; summary?: string; to?: string; file?: string; since?: string;
  'reviewer-id'?: string; 'reviewer-name'?: string; 'reviewer-email'?: string; delegate?: boolean; channel?: string;
}

/** The key's kind as `key list` shows it. */
function keyKind(key: ApiKeyRecord): string {
  if (key.scope !== 'review') return key.scope;
  if (key.reviewer?.kind === 'personal') return 'review (personal)';
  if (key.reviewer?.kind === 'delegating') return 'review (delegating)';
  return 'review (Zendesk app)';
}

function keyReviewer(scope: string, options: CliOptions): KeyReviewer | null {
  const personal = options['reviewer-id'] !== undefined || options['reviewer-name'] !== undefined || options['reviewer-email'] !== undefined;
  if (scope !== 'review') {
    if (personal || options.delegate) throw usage('--reviewer-* and --delegate are for review keys');
    return null;
  }
  if (personal && options.delegate) throw usage('a review key is personal (--reviewer-*) or delegating (--delegate), not both');
  if (options.delegate) return { kind: 'delegating' };
  if (!personal) return null;
  const id = required(options['reviewer-id'], '--reviewer-id').trim();
  const name = required(options['reviewer-name'], '--reviewer-name').trim();
  const email = options['reviewer-email']?.trim();
  if (!/^[^\s]{1,128}$/.test(id)) throw usage('--reviewer-id is 1-128 characters without spaces');
  if (name.length === 0 || name.length > 200) throw usage('--reviewer-name is 1-200 characters');
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) throw usage('--reviewer-email must be an email address');
  return { kind: 'personal', id, name, ...(email ? { email } : {}) };
}

interface Context {
  config: Config;
  secretKey: Buffer;
  store: Store;
  workspaces: Workspaces;
  args: string[];
  options: CliOptions;
  out: Output;
}

const COMMANDS: Record<string, (ctx: Context) => Promise<void>> = {
  'store status': async ({ store, out }) => {
    const report = await backlogReport(store);
    const age = (s: number | null) => (s === null ? '-' : `${s} s`);
    out(
      [
        `pending approvals      ${report.pendingApprovals} (oldest ${age(report.oldestPendingAgeS)})`,
        `queued deliveries      ${report.queuedDeliveries} (oldest ${age(report.oldestQueuedAgeS)})`,
        `failed deliveries, 1 h ${report.failedDeliveriesLastHour}`,
        `unprocessed events     ${report.unprocessedEvents}`,
      ].join('\n'),
      report,
    );
  },
  'store backup': async ({ config, options, out }) => {
    if (config.mongodbUri) throw usage('This store is MongoDB: use mongodump or your provider\'s snapshots (docs/operations.md).');
    const to = path.resolve(required(options.to, '--to <file>'));
    const { pages, bytes } = await backupSqlite(path.join(config.dataDir, SQLITE_FILE), to);
    out(
      `Backed up ${pages} pages (${bytes} bytes) to ${to}.\nRestoring needs the same secret key: keep COUNTERSIGN_SECRET_KEY or ${path.join(config.dataDir, KEY_FILE)} safe, apart from the backup.`,
      { file: to, pages, bytes },
    );
  },
  'workspace create': async ({ workspaces, args, out }) => {
    const { workspace, callbackSecret } = await workspaces.create(required(args[0], 'a workspace name'));
    out(`Created workspace "${workspace.name}" (${workspace.id}).\nCallback secret (shown once): ${callbackSecret}`, { id: workspace.id, name: workspace.name, callbackSecret });
  },
  'workspace list': async ({ store, out }) => {
    const list = (await store.workspaces.list()).map((w) => ({ id: w.id, name: w.name, createdAt: new Date(w.createdAt).toISOString() }));
    out(list.map((w) => `${w.name}\t${w.id}\t${w.createdAt}`).join('\n') || 'No workspaces.', list);
  },
  'key create': async ({ workspaces, options, out }) => {
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    const scope = options.scope;
    if (scope !== 'intake' && scope !== 'review' && scope !== 'admin') throw usage('--scope must be intake, review or admin');
    const reviewer = keyReviewer(scope, options);
    const { key, record } = await workspaces.issueKey(workspace, scope as KeyScope, { label: options.label, ...(reviewer ? { reviewer } : {}) });
    out(`Created ${keyKind(record)} key ${record.id} for "${workspace.name}". Shown once:\n${key}`, { id: record.id, workspace: workspace.name, scope, kind: keyKind(record), reviewer: record.reviewer, key });
  },
  'key rotate': async ({ store, workspaces, args, out }) => {
    const id = required(args[0], 'a key id (see key list)');
    const old = (await store.keys.list()).find((k) => k.id === id && k.revokedAt === null);
    if (!old) throw new AppError('not_found', 'key_not_found', `No active key with id ${id}.`);
    const workspace = (await store.workspaces.get(old.workspaceId))!;
    const { key, record } = await workspaces.issueKey(workspace, old.scope, { label: old.label ?? undefined, ...(old.reviewer ? { reviewer: old.reviewer } : {}) });
    await store.keys.revoke(old.id, Date.now());
    out(`Created ${keyKind(record)} key ${record.id} in place of ${old.id}, which is revoked. Shown once:\n${key}`, { id: record.id, replaced: old.id, workspace: workspace.name, scope: record.scope, kind: keyKind(record), key });
  },
  'key list': async ({ store, workspaces, options, out }) => {
    const workspace = options.workspace ? await workspaces.byName(options.workspace) : null;
    const names = new Map((await store.workspaces.list()).map((w) => [w.id, w.name]));
    const keys = (await store.keys.list(workspace?.id)).map((k) => ({
      id: k.id,
      workspace: names.get(k.workspaceId) ?? k.workspaceId,
      scope: k.scope,
      kind: keyKind(k),
      person: k.reviewer?.kind === 'personal' ? { id: k.reviewer.id, name: k.reviewer.name, ...(k.reviewer.email ? { email: k.reviewer.email } : {}) } : null,
      prefix: k.prefix,
      label: k.label,
      createdAt: new Date(k.createdAt).toISOString(),
      revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
    }));
    const person = (k: (typeof keys)[number]) => (k.person ? `${k.person.name} (${k.person.id}${k.person.email ? `, ${k.person.email}` : ''})` : '');
    out(keys.map((k) => `${k.id}\t${k.workspace}\t${k.kind}\t${person(k)}\t${k.prefix}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}\t${k.label ?? ''}`).join('\n') || 'No keys.', keys);
  },
  'key revoke': async ({ store, args, out }) => {
    const id = required(args[0], 'a key id (see key list)');
    if (!(await store.keys.revoke(id, Date.now()))) throw new AppError('not_found', 'key_not_found', `No active key with id ${id}.`);
    out(`Revoked ${id}.`, { id, revoked: true });
  },
  'callback-secret show': async ({ workspaces, options, out }) => {
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    const [current, previous] = workspaces.callbackSecrets(workspace);
    out(`Current: ${current}${previous ? `\nPrevious (still signing until ${new Date(workspace.settings.previousCallbackSecretUntil!).toISOString()}): ${previous}` : ''}`, { current, previous: previous ?? null });
  },
  'callback-secret rotate': async ({ workspaces, options, out }) => {
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    const graceMs = options.grace === undefined ? undefined : parseDuration(options.grace);
    if (graceMs === null) throw usage('--grace must be a duration like 0s, 30m or 24h');
    const { secret, previousUntil } = await workspaces.rotateCallbackSecret(workspace, graceMs);
    const until = new Date(previousUntil).toISOString();
    out(`New callback secret: ${secret}\nCallbacks carry signatures from both secrets until ${until}; update your receivers before then.`, { current: secret, previousUntil: until });
  },
  'zendesk signing-secret set': async ({ workspaces, options, out }) => {
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    const secret = required(options.secret ?? process.env.ZENDESK_SIGNING_SECRET, '--secret (or ZENDESK_SIGNING_SECRET)');
    await new ZendeskSettings(workspaces).setSigningSecret(workspace, secret);
    out(`Stored the Zendesk signing secret for "${workspace.name}". Intake to it must now be signed by Zendesk.`, { workspace: workspace.name, signingSecret: true });
  },
  'zendesk signing-secret clear': async ({ workspaces, options, out }) => {
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    await new ZendeskSettings(workspaces).setSigningSecret(workspace, null);
    out(`Removed the Zendesk signing secret of "${workspace.name}".`, { workspace: workspace.name, signingSecret: false });
  },
  'zendesk credentials set': async ({ workspaces, options, out }) => {
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    const updated = await new ZendeskSettings(workspaces).setCredentials(workspace, {
      subdomain: required(options.subdomain, '--subdomain'),
      email: required(options.email, '--email'),
      apiToken: required(options.token ?? process.env.ZENDESK_API_TOKEN, '--token (or ZENDESK_API_TOKEN)'),
      baseUrl: options['base-url'],
    });
    const account = new ZendeskSettings(workspaces).account(updated)!;
    out(`Stored Zendesk credentials for "${workspace.name}": ${account.email} at ${account.baseUrl}. Settled requests on its tickets now get an internal note.`, { workspace: workspace.name, ...account });
  },
  'zendesk credentials clear': async ({ workspaces, options, out }) => {
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    await new ZendeskSettings(workspaces).clearCredentials(workspace);
    out(`Removed the Zendesk credentials of "${workspace.name}"; no more ticket notes.`, { workspace: workspace.name, credentials: false });
  },
  'zendesk oauth set': async ({ config, workspaces, options, out }) => {
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    const zendesk = new ZendeskSettings(workspaces);
    const updated = await zendesk.setOAuthClient(workspace, {
      clientId: required(options['client-id'], '--client-id'),
      clientSecret: required(options.secret ?? process.env.ZENDESK_OAUTH_CLIENT_SECRET, '--secret (or ZENDESK_OAUTH_CLIENT_SECRET)'),
    });
    const setup = zendesk.signIn(updated)!;
    const redirect = redirectUrl(config);
    out(
      `Stored the Zendesk OAuth client "${setup.clientId}" for "${workspace.name}": agents confirm who they are at ${setup.baseUrl} before they decide.\nThe client's redirect URL in Zendesk must be: ${redirect ?? `<COUNTERSIGN_PUBLIC_URL>${CALLBACK_PATH} (set COUNTERSIGN_PUBLIC_URL to Countersign's https address)`}`,
      { workspace: workspace.name, oauthClientId: setup.clientId, baseUrl: setup.baseUrl, redirectUrl: redirect },
    );
  },
  'zendesk oauth clear': async ({ workspaces, options, out }) => {
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    await new ZendeskSettings(workspaces).clearOAuthClient(workspace);
    out(`Removed the Zendesk OAuth client of "${workspace.name}": no agent can sign in any more; sessions already issued end within the hour.`, { workspace: workspace.name, oauthClientId: null });
  },
  'zendesk show': async ({ config, workspaces, options, out }) => {
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    const zendesk = new ZendeskSettings(workspaces);
    const account = zendesk.account(workspace);
    const signing = zendesk.signingSecret(workspace) !== null;
    const signIn = zendesk.signIn(workspace);
    const clientId = zendesk.oauthClientId(workspace);
    const signInLine = signIn ? `on (OAuth client "${signIn.clientId}", secret set; redirect URL ${redirectUrl(config) ?? `<COUNTERSIGN_PUBLIC_URL>${CALLBACK_PATH}`})` : clientId ? `off (OAuth client "${clientId}" stored, but no Zendesk account: run zendesk credentials set)` : 'off (no OAuth client: the sidebar cannot decide)';
    out(
      `Signing secret: ${signing ? 'set (intake must be signed by Zendesk)' : 'not set'}\nTicket notes: ${account ? `${account.email} at ${account.baseUrl}` : 'off (no credentials)'}\nNotes on new requests: ${notesOnCreation(workspace, 'zendesk') ? 'on' : 'off'}\nAgent sign-in: ${signInLine}`,
      { workspace: workspace.name, signingSecret: signing, credentials: account, notesOnCreation: notesOnCreation(workspace, 'zendesk'), signIn: { enabled: signIn !== null, oauthClientId: clientId, clientSecret: clientId !== null, redirectUrl: redirectUrl(config) } },
    );
  },
  'intercom link': async ({ store, workspaces, options, out }) => {
    const intercom = intercomSettings(store, workspaces);
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    const current = intercom.link(workspace);
    const updated = await intercom.setLink(workspace, {
      workspaceId: required(options['intercom-workspace'], '--intercom-workspace'),
      region: parseRegion(options.region),
      adminId: options['admin-id'] ?? current?.adminId ?? null,
      gatedTopics: current?.gatedTopics ?? [],
      callbackUrl: current?.callbackUrl ?? null,
      ...(current?.templates ? { templates: current.templates } : {}),
    }, process.env.INTERCOM_ACCESS_TOKEN ?? undefined);
    out(`Linked "${workspace.name}" to Intercom workspace ${intercom.link(updated)!.workspaceId}.`, intercomSummary(intercom, updated));
  },
  'intercom gate': async ({ store, workspaces, options, out }) => {
    const intercom = intercomSettings(store, workspaces);
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    const link = intercom.link(workspace);
    if (!link) throw usage(`"${workspace.name}" is not linked to Intercom; run intercom link first`);
    const gatedTopics = required(options.topics, '--topics').split(',').map((t) => t.trim()).filter(Boolean);
    const gated = gateTopics({ ...link, callbackUrl: options['callback-url'] ?? link.callbackUrl }, gatedTopics, { action: options.action, summary: options.summary });
    const updated = await intercom.setLink(workspace, gated);
    const wording = gatedWording(intercom.link(updated)!);
    out(`"${workspace.name}" now gates:${gatedTopics.length > 0 ? `\n${wordingLines(wording)}` : ' (nothing).'}`, { ...intercomSummary(intercom, updated), wording });
  },
  ...creationNoteCommands('zendesk'),
  ...creationNoteCommands('intercom'),
  'intercom show': async ({ store, workspaces, options, out }) => {
    const intercom = intercomSettings(store, workspaces);
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    const summary = intercomSummary(intercom, workspace);
    const data = { ...summary, wording: summary.link ? gatedWording(summary.link) : [] };
    out(summary.link ? `${JSON.stringify(summary, null, 2)}\n${wordingLines(data.wording) || 'No gated topics.'}` : `"${workspace.name}" is not linked to Intercom.`, data);
  },
  'intercom unlink': async ({ store, workspaces, options, out }) => {
    const intercom = intercomSettings(store, workspaces);
    const workspace = await workspaces.byName(required(options.workspace, '--workspace'));
    await intercom.unlink(workspace);
    out(`Unlinked "${workspace.name}" from Intercom and forgot its access token.`, { workspace: workspace.name, link: null });
  },
};

/** Where Zendesk sends agents back to, as the OAuth client must list it; null without COUNTERSIGN_PUBLIC_URL. */
function redirectUrl(config: Config): string | null {
  return config.publicUrl ? `${config.publicUrl.replace(/\/+$/, '')}${CALLBACK_PATH}` : null;
}

function intercomSettings(store: Store, workspaces: Workspaces): IntercomSettings {
  return new IntercomSettings(store, workspaces, loadConfig().intercom);
}

/** One block per gated topic: what its requests are called and say, marked where the workspace set it. */
function wordingLines(wording: GatedTopicWording[]): string {
  const origin = (custom: boolean) => (custom ? '' : ' (default)');
  return wording
    .map((w) => `  ${w.topic}\n    action:    ${w.action}${origin(w.custom.includes('action'))}\n    summary:   ${w.summary}${origin(w.custom.includes('summary'))}\n    requester: ${w.requester}`)
    .join('\n');
}

function intercomSummary(intercom: IntercomSettings, workspace: WorkspaceRecord) {
  return { workspace: workspace.name, link: intercom.link(workspace), accessToken: intercom.accessToken(workspace) !== null, notesOnCreation: notesOnCreation(workspace, 'intercom') };
}

const CREATION_NOTE_NEEDS: Record<NotedPlatform, string> = {
  zendesk: 'they are written with the Zendesk credentials (zendesk credentials set)',
  intercom: 'they are written as the admin given with intercom link --admin-id (or who installed the app)',
};

/** `<platform> creation-note on|off`: an internal note on the ticket or conversation when a request on it needs a human. */
function creationNoteCommands(platform: NotedPlatform): Record<string, (ctx: Context) => Promise<void>> {
  const command = (on: boolean) => async ({ workspaces, options, out }: Context) => {
    const workspace = await setNotesOnCreation(workspaces, await workspaces.byName(required(options.workspace, '--workspace')), platform, on);
    out(
      on ? `New requests on ${platform === 'zendesk' ? 'Zendesk tickets' : 'Intercom conversations'} of "${workspace.name}" now get an internal note, so the assignee is notified; ${CREATION_NOTE_NEEDS[platform]}.` : `No more notes on new requests for "${workspace.name}" (notes on decisions go on).`,
      { workspace: workspace.name, platform, notesOnCreation: on },
    );
  };
  return { [`${platform} creation-note on`]: command(true), [`${platform} creation-note off`]: command(false) };
}

function required(value: string | undefined, what: string): string {
  if (!value) throw usage(`missing ${what}`);
  return value;
}

function usage(message: string): AppError {
  return new AppError('bad_request', 'usage', message);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' }, scope: { type: 'string' }, label: { type: 'string' }, grace: { type: 'string' },
      secret: { type: 'string' }, subdomain: { type: 'string' }, email: { type: 'string' }, token: { type: 'string' }, 'base-url': { type: 'string' }, 'client-id': { type: 'string' },
      'intercom-workspace': { type: 'string' }, region: { type: 'string' }, 'admin-id': { type: 'string' }, topics: { type: 'string' }, 'callback-url': { type: 'string' }, action: { type: 'string' }, summary: { type: 'string' }, to: { type: 'string' },
      file: { type: 'string' }, since: { type: 'string' }, channel: { type: 'string' }, 'reviewer-id': { type: 'string' }, 'reviewer-name': { type: 'string' }, 'reviewer-email': { type: 'string' }, delegate: { type: 'boolean' },
      json: { type: 'boolean' }, help: { type: 'boolean' },
    },
  });
  const words = COMMANDS[positionals.slice(0, 3).join(' ')] ? 3 : 2;
  const name = positionals.slice(0, words).join(' ');
  const command = COMMANDS[name] ?? (POLICY_COMMANDS[name] ? policyCommand(POLICY_COMMANDS[name]) : SLACK_COMMANDS[name] ? slackCommand(SLACK_COMMANDS[name]) : undefined);
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const out: Output = (human, data) => process.stdout.write(`${values.json ? JSON.stringify(data) : human}\n`);
  const config = loadConfig();
  const store = await openStore(config);
  await store.init();
  try {
    const secretKey = loadSecretKey(config.secretKey, config.dataDir).key;
    const box = new SecretBox(secretKey);
    await verifySecretKey(store, box);
    await command({ config, secretKey, store, workspaces: new Workspaces(store, box), args: positionals.slice(words), options: values, out });
    return 0;
  } finally {
    await store.close();
  }
}

function slackCommand(run: (typeof SLACK_COMMANDS)[string]): (ctx: Context) => Promise<void> {
  return ({ config, secretKey, store, workspaces, options, out }) => run({ store, workspaces, slackConfig: config.slack, secretKey, publicUrl: publicUrl(config), options, env: process.env, out });
}

/** COUNTERSIGN_PUBLIC_URL, else the address the server gives itself when it is unset. */
function publicUrl(config: Config): { url: string; configured: boolean } {
  if (config.publicUrl) return { url: config.publicUrl.replace(/\/+$/, ''), configured: true };
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`, configured: false };
}

function policyCommand(run: (typeof POLICY_COMMANDS)[string]): (ctx: Context) => Promise<void> {
  return ({ store, workspaces, options, out }) => run({ workspaces, policies: new Policies(store), options, out });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof AppError || error instanceof ConfigError || error instanceof SecretKeyError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${known ? (error as Error).message : `admin command failed: ${(error as Error).stack ?? String(error)}`}\n`);
    process.exit(known && error instanceof AppError && error.code === 'usage' ? 2 : 1);
  },
);
