// The playground as a Countersign extension: its routes answer "starting" until the server listens,
// then it sets up its workspace, fake Zendesk and fake Intercom.
import type { CountersignExtension } from '@countersign/server/app';
import { messengerContentSecurity } from '@countersign/server/http';
import { Router } from 'express';
import { startPlayground } from './playground';
import { playgroundRoutes, type PlaygroundRuntime } from './playground-routes';

export function playgroundExtension(): CountersignExtension {
  let runtime: PlaygroundRuntime | null = null;
  return {
    name: 'playground',
    http({ config }) {
      const routes = Router();
      // The live Messenger's hosts are allowed on the playground's pages only, and only when configured.
      if (config.intercom.appId) routes.use('/playground', messengerContentSecurity({ httpsOnly: config.publicUrl?.startsWith('https:') ?? false }));
      routes.use(playgroundRoutes(() => runtime));
      return {
        routes,
        homeLink: { href: '/playground', label: 'playground', description: 'shows a sample Zendesk ticket with the sidebar app, and buttons that post the seed requests.' },
      };
    },
    async start({ config, workspaces, zendesk, intercom, slack, guard, publicUrl }, port) {
      runtime = await startPlayground({ workspaces, zendesk, intercom, slack, intercomConfig: config.intercom, guard, host: config.host, port, maxWaitMs: config.maxWaitMs, publicUrl });
    },
    intercomClientSecret: () => runtime?.intercom.clientSecret ?? null,
  };
}
