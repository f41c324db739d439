// Zendesk loads a top-bar app only when the agent first opens it; until then its count would not show
// and no notification could come. The background location loads with the agent interface and asks
// Zendesk to insert the queue's pane ahead of time (preloadPane), hidden, as Zendesk's documentation
// suggests for top-bar apps.
import { whenRegistered, type ZafClient } from '../zaf/zaf-client';

export async function preloadQueue(client: ZafClient): Promise<boolean> {
  try {
    await whenRegistered(client);
    const answer = await client.get('instances');
    const instances = (answer.instances ?? {}) as Record<string, { location?: unknown } | undefined>;
    const topBar = Object.entries(instances).find(([, instance]) => instance?.location === 'top_bar')?.[0];
    if (!topBar || !client.instance) return false;
    await client.instance(topBar).invoke('preloadPane');
    return true;
  } catch (error) {
    // The queue then loads when the agent opens it, as any top-bar app does.
    console.warn('Countersign: preloading the queue failed', error);
    return false;
  }
}
