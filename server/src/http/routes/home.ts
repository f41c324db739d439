// A landing page at / so the URL the server prints leads somewhere useful.
import { Router } from 'express';
import type { HttpDeps } from '../deps';
import { escapeHtml } from '../html-page';

export function homeRoutes(deps: HttpDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Countersign</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2933}code{background:#f1f3f5;padding:.1rem .3rem;border-radius:3px}</style>
</head><body>
<h1>Countersign is running</h1>
<p>Automations POST risky actions to <code>/api/webhooks/inbound</code> with their intake key; reviewers decide
them with <code>POST /api/approvals/{id}/decision</code>; the decision comes back synchronously, by polling
<code>GET /api/approvals/{id}</code>, or as a signed callback.</p>
${homeLinks(deps)}<p>Health: <a href="/healthz">/healthz</a> · Readiness: <a href="/readyz">/readyz</a>. The README has curl examples for every endpoint.</p>
</body></html>`);
  });
  return router;
}

function homeLinks(deps: HttpDeps): string {
  return deps.extensions
    .flatMap(({ homeLink }) => (homeLink ? [`<p>New here? The <a href="${escapeHtml(homeLink.href)}">${escapeHtml(homeLink.label)}</a> ${escapeHtml(homeLink.description)}</p>\n`] : []))
    .join('');
}
