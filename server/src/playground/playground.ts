// Sets the playground up once the server listens: its workspace and keys, its fake Zendesk, and the
// two loopback prefixes the callback guard may call although private callbacks are otherwise refused.
import net from 'node:net';
import type { ZendeskSettings } from '../integrations/zendesk/zendesk-settings';
import type { CallbackGuard } from '../network/callback-guard';
import type { Workspaces } from '../workspaces/workspaces';
import { CallbackInbox } from './callback-inbox';
import type { PlaygroundRuntime } from './playground-routes';
import { connectFakeZendesk, newFakeZendeskToken, openPlaygroundWorkspace } from './playground-workspace';
import { TicketNotes } from './ticket-notes';

export async function startPlayground(deps: { workspaces: Workspaces; zendesk: ZendeskSettings; guard: CallbackGuard; host: string; port: number }): Promise<PlaygroundRuntime> {
  const selfUrl = `http://${loopbackLiteral(deps.host)}:${deps.port}`;
  const playground = await openPlaygroundWorkspace(deps.workspaces);
  const token = newFakeZendeskToken();
  const zendeskBase = `${selfUrl}/playground/zendesk`;
  await connectFakeZendesk(deps.zendesk, playground, zendeskBase, token);
  deps.guard.trustPrefix(`${selfUrl}/playground/receiver/`);
  deps.guard.trustPrefix(`${zendeskBase}/`);
  return {
    selfUrl,
    intakeKey: playground.intakeKey,
    reviewKey: playground.reviewKey,
    callbackSecrets: async () => deps.workspaces.callbackSecrets(await deps.workspaces.byName(playground.workspace.name)),
    zendeskAuthorization: `Basic ${Buffer.from(`countersign@playground.example/token:${token}`).toString('base64')}`,
    inbox: new CallbackInbox(),
    notes: new TicketNotes(),
  };
}

/** An IP literal this server answers on, so the trusted prefixes never depend on DNS. */
function loopbackLiteral(host: string): string {
  if (host === '::') return '[::1]';
  if (net.isIPv6(host)) return `[${host}]`;
  if (net.isIPv4(host) && host !== '0.0.0.0') return host;
  return '127.0.0.1';
}
