// How both apps start: wait for Zendesk to register the app, then read what the location needs from
// it (the ticket, or just the agent); a failure can be retried.
import { useCallback, useEffect, useState } from 'react';
import { whenRegistered, type ZafClient } from './zaf-client';

export type Startup<Context> = { state: 'starting' } | { state: 'ready'; context: Context } | { state: 'failed' };

/**
 * `read` must be stable (a module-level function): a new one starts again.
 * `what` names what is read, for the console warning when it fails.
 */
export function useStartup<Context>(
  client: ZafClient,
  read: (client: ZafClient) => Promise<Context>,
  what: string,
): { startup: Startup<Context>; retry: () => void } {
  const [startup, setStartup] = useState<Startup<Context>>({ state: 'starting' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    whenRegistered(client)
      .then(() => read(client))
      .then(
        (context) => current && setStartup({ state: 'ready', context }),
        (error: unknown) => {
          console.warn(`Countersign: reading ${what} from Zendesk failed`, error);
          if (current) setStartup({ state: 'failed' });
        },
      );
    return () => {
      current = false;
    };
  }, [client, read, what, attempt]);
  const retry = useCallback(() => {
    setStartup({ state: 'starting' });
    setAttempt((n) => n + 1);
  }, []);
  return { startup, retry };
}
