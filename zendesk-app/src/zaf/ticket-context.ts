// What the sidebar needs from Zendesk before it can show anything: the ticket, who is reviewing,
// and the colour scheme.
import { parseColorScheme, type ColorScheme } from '../theme/color-scheme';
import type { ZafClient } from './zaf-client';

export interface CurrentUser {
  id: string;
  name: string;
  email: string | null;
  locale: string | null;
}

export interface TicketContext {
  ticketId: string;
  user: CurrentUser;
  colorScheme: ColorScheme | null;
}

export class TicketContextError extends Error {
  override readonly name = 'TicketContextError';
}

export async function readTicketContext(client: ZafClient): Promise<TicketContext> {
  const values = await readValues(client);
  const ticketId = values['ticket.id'];
  if (typeof ticketId !== 'number' && typeof ticketId !== 'string') throw new TicketContextError('Zendesk did not say which ticket is open.');
  return { ticketId: String(ticketId), user: currentUser(values.currentUser), colorScheme: parseColorScheme(values.colorScheme) };
}

async function readValues(client: ZafClient): Promise<Record<string, unknown>> {
  try {
    return await client.get(['ticket.id', 'currentUser', 'colorScheme']);
  } catch {
    // Hosts that do not know `colorScheme` may fail the whole bulk call; the URL still carries the scheme.
    return client.get(['ticket.id', 'currentUser']);
  }
}

/** The agent as Zendesk's `currentUser` describes them; throws when Zendesk did not say. */
export function currentUser(value: unknown): CurrentUser {
  const user = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof user.id !== 'number' && typeof user.id !== 'string') throw new TicketContextError('Zendesk did not say who the current agent is.');
  return {
    id: String(user.id),
    name: typeof user.name === 'string' && user.name.trim() ? user.name : `Agent ${user.id}`,
    email: typeof user.email === 'string' && user.email.includes('@') ? user.email : null,
    locale: typeof user.locale === 'string' ? user.locale : null,
  };
}
