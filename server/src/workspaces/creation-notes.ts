// A workspace setting: an internal note on the Zendesk ticket or Intercom conversation as soon as a
// request on it needs a human, so the platform's own notifications reach the assignee and followers.
// Off by default (a note is visible to every agent on the ticket and updates it); set per platform.
import type { WorkspaceRecord } from '../approvals/workspace-records';
import type { Workspaces } from './workspaces';

export type NotedPlatform = 'zendesk' | 'intercom';
const SETTING = 'notesOnCreation';

export function notesOnCreation(workspace: WorkspaceRecord, platform: NotedPlatform): boolean {
  const setting = workspace.settings[SETTING] as Partial<Record<NotedPlatform, unknown>> | undefined;
  return setting?.[platform] === true;
}

export function setNotesOnCreation(workspaces: Workspaces, workspace: WorkspaceRecord, platform: NotedPlatform, on: boolean): Promise<WorkspaceRecord> {
  const current = (workspace.settings[SETTING] as Partial<Record<NotedPlatform, boolean>> | undefined) ?? {};
  return workspaces.updateSettings(workspace, { ...workspace.settings, [SETTING]: { ...current, [platform]: on } });
}
