// GET /favicon.ico: browsers ask for it on every page (the home, request and playground pages). The
// icon is the Zendesk app's small logo (zendesk-app/static/logo-small.png), kept beside this file so
// the server never depends on another workspace's files; browsers read a PNG at this path.
import { readFileSync } from 'node:fs';
import { Router } from 'express';

const ICON = readFileSync(new URL('./favicon.png', import.meta.url));

export function faviconRoutes(): Router {
  const router = Router();
  router.get('/favicon.ico', (_req, res) => {
    res.type('image/png').set('cache-control', 'public, max-age=86400').send(ICON);
  });
  return router;
}
