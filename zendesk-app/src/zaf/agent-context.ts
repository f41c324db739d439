// What a location without a ticket (the top bar) needs from Zendesk: who the agent is, and the
// colour scheme.
import { parseColorScheme, type ColorScheme } from '../theme/color-scheme';
import { currentUser, type CurrentUser } from './ticket-context';
import type { ZafClient } from './zaf-client';

export interface AgentContext {
  user: CurrentUser;
  colorScheme: ColorScheme | null;
}

export async function readAgentContext(client: ZafClient): Promise<AgentContext> {
  let values: Record<string, unknown>;
  try {
    values = await client.get(['currentUser', 'colorScheme']);
  } catch {
    // Hosts that do not know `colorScheme` may fail the whole bulk call; the URL still carries the scheme.
    values = await client.get(['currentUser']);
  }
  return { user: currentUser(values.currentUser), colorScheme: parseColorScheme(values.colorScheme) };
}
