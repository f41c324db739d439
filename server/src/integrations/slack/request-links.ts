// Where a Slack message about a request points a reviewer: the Zendesk ticket or Intercom conversation
// it came from (when the workspace is connected to that platform), and Countersign's own page of the
// request (a signed link, like the canvas's "full request").
import type { ApprovalRecord } from '../../approvals/records';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import type { IntercomSettings } from '../intercom/intercom-settings';
import type { ZendeskSettings } from '../zendesk/zendesk-settings';
import type { RequestLinks } from './request-message';

const TICKET_ID = /^[1-9]\d{0,18}$/;
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const INTERCOM_APP_HOSTS = { US: 'https://app.intercom.com', EU: 'https://app.eu.intercom.com', AU: 'https://app.au.intercom.com' } as const;

export interface RequestLinkDeps {
  zendesk: ZendeskSettings;
  intercom: IntercomSettings;
  /** The request's signed page, or null while the server's public address is unknown. */
  approvalPage: (workspaceId: string, approvalId: string) => string | null;
}

export function requestLinks(deps: RequestLinkDeps, approval: ApprovalRecord, workspace: WorkspaceRecord): RequestLinks {
  return { context: contextLink(deps, approval, workspace), page: deps.approvalPage(approval.workspaceId, approval.id) };
}

function contextLink(deps: RequestLinkDeps, approval: ApprovalRecord, workspace: WorkspaceRecord): RequestLinks['context'] {
  const context = approval.context;
  if (context?.platform === 'zendesk' && TICKET_ID.test(context.ticketId)) {
    const account = deps.zendesk.account(workspace);
    return account ? { label: `Ticket #${context.ticketId}`, url: `${account.baseUrl}/agent/tickets/${context.ticketId}` } : null;
  }
  if (context?.platform === 'intercom' && CONVERSATION_ID.test(context.conversationId)) {
    const link = deps.intercom.link(workspace);
    return link ? { label: 'Intercom conversation', url: `${INTERCOM_APP_HOSTS[link.region]}/a/inbox/${encodeURIComponent(link.workspaceId)}/inbox/conversation/${context.conversationId}` } : null;
  }
  return null;
}
