// What a workspace holds for Intercom: which Intercom workspace it is linked to (and its region), the
// access token for conversation notes (sealed), the default note author, and which webhook topics it
// gates (each such notification becomes an approval request), and the workspace's own wording of those
// requests, per topic.
import { AppError } from '../../approvals/errors';
import type { IntercomConfig } from '../../config/config';
import type { Store } from '../../approvals/ports';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import type { Workspaces } from '../../workspaces/workspaces';
import { checkTemplate, defaultWording, type RequestTemplate } from './request-templates';

const ACCESS_TOKEN = 'intercomAccessToken';
const REGIONS = { US: 'https://api.intercom.io', EU: 'https://api.eu.intercom.io', AU: 'https://api.au.intercom.io' } as const;
const INTERCOM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TOPIC = /^[a-z_]+(\.[a-z_]+)+$/;
const DIRECTORY_TTL_MS = 30_000;

export type IntercomRegion = keyof typeof REGIONS;

export interface IntercomLink {
  /** Intercom's workspace id (`app.id_code`, the `workspace_id` of canvas requests, `app_id` of webhooks). */
  workspaceId: string;
  region: IntercomRegion;
  /** Author of notes when the decision did not come from an Intercom teammate. */
  adminId: string | null;
  gatedTopics: string[];
  /** Where decisions on gated-topic requests are POSTed (the relay's webhookUrl). */
  callbackUrl: string | null;
  /** The workspace's action and summary templates, by gated topic; absent ones use the topic's default. */
  templates?: Record<string, RequestTemplate>;
  /** Overrides the region's REST base URL (the playground's fake Intercom). */
  apiBaseUrl?: string;
}

export class IntercomSettings {
  private directory: { at: number; byIntercomId: Map<string, string> } | null = null;

  constructor(
    private readonly store: Store,
    private readonly workspaces: Workspaces,
    private readonly config: IntercomConfig,
  ) {}

  link(workspace: WorkspaceRecord): IntercomLink | null {
    return (workspace.settings.intercom as IntercomLink | undefined) ?? null;
  }

  accessToken(workspace: WorkspaceRecord): string | null {
    return this.workspaces.openSecret(workspace, ACCESS_TOKEN);
  }

  /** The REST base URL for this workspace: the configured override, the link's own, or its region's. */
  apiBaseUrl(link: IntercomLink): string {
    return this.config.apiUrl ?? link.apiBaseUrl ?? REGIONS[link.region];
  }

  /** The Countersign workspace linked to an Intercom workspace id (cached briefly; links change rarely). */
  async workspaceFor(intercomWorkspaceId: string): Promise<WorkspaceRecord | null> {
    let id = (await this.lookup(false)).get(intercomWorkspaceId);
    if (!id) id = (await this.lookup(true)).get(intercomWorkspaceId);
    return id ? this.store.workspaces.get(id) : null;
  }

  async setLink(workspace: WorkspaceRecord, link: IntercomLink, accessToken?: string | null): Promise<WorkspaceRecord> {
    checkLink(link);
    const owner = await this.workspaceFor(link.workspaceId);
    if (owner && owner.id !== workspace.id) {
      throw new AppError('conflict', 'intercom_workspace_taken', `Intercom workspace ${link.workspaceId} is already linked to "${owner.name}".`);
    }
    const settings = { ...workspace.settings, intercom: link };
    const updated = accessToken === undefined
      ? await this.workspaces.storeSecret(workspace, ACCESS_TOKEN, this.accessToken(workspace), settings)
      : await this.workspaces.storeSecret(workspace, ACCESS_TOKEN, accessToken, settings);
    this.directory = null;
    return updated;
  }

  async unlink(workspace: WorkspaceRecord): Promise<WorkspaceRecord> {
    const { intercom: _removed, ...settings } = workspace.settings;
    const updated = await this.workspaces.storeSecret(workspace, ACCESS_TOKEN, null, settings as WorkspaceRecord['settings']);
    this.directory = null;
    return updated;
  }

  private async lookup(refresh: boolean): Promise<Map<string, string>> {
    if (refresh || !this.directory || Date.now() - this.directory.at > DIRECTORY_TTL_MS) {
      const byIntercomId = new Map<string, string>();
      for (const workspace of await this.store.workspaces.list()) {
        const link = this.link(workspace);
        if (link) byIntercomId.set(link.workspaceId, workspace.id);
      }
      this.directory = { at: Date.now(), byIntercomId };
    }
    return this.directory.byIntercomId;
  }
}

/** The workspace's template for a topic, if it set one (own keys only: topics come from notifications). */
export function templateOf(link: IntercomLink, topic: string): RequestTemplate | undefined {
  return link.templates && Object.hasOwn(link.templates, topic) ? link.templates[topic] : undefined;
}

/** A gated topic's request wording as it stands: the workspace's templates, else the topic's defaults. */
export interface GatedTopicWording {
  topic: string;
  action: string;
  summary: string;
  requester: string;
  /** Which of action and summary the workspace set itself. */
  custom: Array<keyof RequestTemplate>;
}

/**
 * The link gating `topics`, the others no longer gated (their templates dropped). A given action or
 * summary template applies to each of `topics`; an empty one goes back to the default; one not given
 * keeps what the topic had.
 */
export function gateTopics(link: IntercomLink, topics: string[], change: RequestTemplate): IntercomLink {
  const templates: Record<string, RequestTemplate> = {};
  for (const topic of topics) {
    const template: RequestTemplate = { ...templateOf(link, topic) };
    for (const field of ['action', 'summary'] as const) {
      if (change[field] === '') delete template[field];
      else if (change[field] !== undefined) template[field] = change[field];
    }
    if (Object.keys(template).length > 0) templates[topic] = template;
  }
  const { templates: _old, ...rest } = link;
  return Object.keys(templates).length > 0 ? { ...rest, gatedTopics: topics, templates } : { ...rest, gatedTopics: topics };
}

export function gatedWording(link: IntercomLink): GatedTopicWording[] {
  return link.gatedTopics.map((topic) => {
    const template = templateOf(link, topic) ?? {};
    const wording = defaultWording(topic);
    return {
      topic,
      action: template.action ?? wording.action,
      summary: template.summary ?? wording.summary,
      requester: wording.agentName,
      custom: (['action', 'summary'] as const).filter((field) => template[field] !== undefined),
    };
  });
}

export function parseRegion(value: string | undefined): IntercomRegion {
  const region = (value ?? 'US').toUpperCase();
  if (region in REGIONS) return region as IntercomRegion;
  throw new AppError('bad_request', 'invalid_region', 'The Intercom region is US, EU or AU.');
}

function checkLink(link: IntercomLink): void {
  if (!INTERCOM_ID.test(link.workspaceId)) throw new AppError('bad_request', 'invalid_intercom_workspace', 'An Intercom workspace id is letters, digits, "-" or "_".');
  if (link.adminId !== null && !INTERCOM_ID.test(link.adminId)) throw new AppError('bad_request', 'invalid_admin_id', 'An Intercom admin id is letters and digits.');
  if (link.callbackUrl !== null && !/^https?:\/\/[^\s]+$/i.test(link.callbackUrl)) throw new AppError('bad_request', 'invalid_callback_url', 'The callback URL must be an absolute http(s) URL.');
  const bad = link.gatedTopics.find((topic) => !TOPIC.test(topic));
  if (bad) throw new AppError('bad_request', 'invalid_topic', `"${bad.slice(0, 80)}" is not an Intercom webhook topic like conversation.operator.replied.`);
  for (const [topic, template] of Object.entries(link.templates ?? {})) {
    if (!link.gatedTopics.includes(topic)) throw new AppError('bad_request', 'invalid_template', `There is a template for ${topic.slice(0, 80)}, but that topic is not gated.`);
    checkTemplate(template, topic);
  }
}
