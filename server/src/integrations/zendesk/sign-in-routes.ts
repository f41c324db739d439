// The HTTP side of Zendesk sign-in (agent-sign-in.ts): what the sidebar calls through Zendesk's proxy
// with the Zendesk app's key (start, claim, status), and the OAuth callback Zendesk sends the agent's
// browser to, with the small script its page runs.
import { Router, type Request, type Response } from 'express';
import { REVIEWER_SESSION_HEADER, SignInClaimBody, SignInStartBody } from '@countersign/shared';
import { AppError } from '../../approvals/errors';
import type { Store } from '../../approvals/ports';
import { requireKey } from '../../http/auth';
import { httpStatus, methodNotAllowed } from '../../http/error-handler';
import { escapeHtml, htmlPage } from '../../http/html-page';
import { jsonBody } from '../../http/json-body';
import { caller } from '../../http/locals';
import { validate } from '../../http/validate';
import { CALLBACK_PATH, type AgentSignIn } from './agent-sign-in';

const SCRIPT_PATH = '/zendesk/oauth/signed-in.js';
const BODY_LIMIT = 4 * 1024;

/**
 * Runs in the consent window: tells the sidebar that opened it that Zendesk has answered (a message
 * with no secret in it; the sidebar then collects the outcome through Zendesk's proxy), to the one
 * origin the signed state named, and closes the window after a success. Served as a file because the
 * pages' Content-Security-Policy allows no inline script.
 */
const SIGNED_IN_SCRIPT = `(() => {
  const facts = document.getElementById('sign-in');
  if (!facts) return;
  const { origin, outcome } = facts.dataset;
  try {
    if (window.opener && origin) window.opener.postMessage({ type: 'countersign:zendesk-sign-in', outcome }, origin);
  } catch (error) {
    // The opener is gone or another origin by now: the sidebar collects the outcome by itself.
  }
  if (outcome === 'signed_in') setTimeout(() => window.close(), 1500);
})();
`;

export interface SignInRouteDeps {
  store: Store;
  signIn: AgentSignIn;
  bodyLimitBytes?: number;
}

export function zendeskSignInRoutes(deps: SignInRouteDeps): Router {
  const router = Router();
  const appKey = [requireKey(deps.store, 'review'), onlyTheAppKey];
  const body = jsonBody({ limitBytes: deps.bodyLimitBytes ?? BODY_LIMIT });

  router
    .route('/api/zendesk/sign-in')
    .get(...appKey, (req, res) => {
      res.json(deps.signIn.status(caller(res).workspace, req.get(REVIEWER_SESSION_HEADER)?.trim()));
    })
    .post(...appKey, ...body, (req, res) => {
      const { origin } = validate(SignInStartBody, req.body);
      const { workspace, key } = caller(res);
      res.json(deps.signIn.start(workspace, key.id, origin));
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/api/zendesk/sign-in/claim')
    .post(...appKey, ...body, async (req, res) => {
      const { claimSecret } = validate(SignInClaimBody, req.body);
      res.json(await deps.signIn.claim(caller(res).workspace, claimSecret));
    })
    .all(methodNotAllowed(['POST']));

  router.get(CALLBACK_PATH, async (req, res) => {
    // No secret ever reaches this page, so it may keep its opener (helmet's default would sever it).
    res.setHeader('cross-origin-opener-policy', 'unsafe-none');
    const result = await deps.signIn.complete({ state: single(req.query.state), code: single(req.query.code), error: single(req.query.error) });
    if (result.refusal) {
      const facts = result.origin ? { origin: result.origin, outcome: 'refused' } : null;
      return page(res, httpStatus(result.refusal.kind), 'Not confirmed', `<p>${escapeHtml(result.refusal.message)}</p>`, facts);
    }
    page(res, 200, 'You are confirmed', `<p>Zendesk confirmed that you are <strong>${escapeHtml(result.reviewer.name)}</strong>. Back in the ticket, the sidebar now lets you decide. This window closes by itself.</p>`, { origin: result.origin, outcome: 'signed_in' });
  });

  router.get(SCRIPT_PATH, (_req, res) => {
    res.type('text/javascript').send(SIGNED_IN_SCRIPT);
  });
  return router;
}

/** Only the key installed in the Zendesk app signs agents in: any other review key already says who decides. */
function onlyTheAppKey(_req: Request, res: Response, next: () => void): void {
  const { key } = caller(res);
  if (key.reviewer !== null) {
    const who = key.reviewer.kind === 'personal' ? `${key.reviewer.name} (${key.reviewer.id})` : 'the people its tool names';
    throw new AppError('forbidden', 'not_the_app_key', `Zendesk sign-in is for the review key installed in the Zendesk app; this key already decides as ${who}.`);
  }
  next();
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 2000 ? value : undefined;
}

function page(res: Response, status: number, title: string, body: string, facts: { origin: string; outcome: string } | null): void {
  const script = facts ? `\n<div id="sign-in" data-origin="${escapeHtml(facts.origin)}" data-outcome="${escapeHtml(facts.outcome)}"></div>\n<script src="${SCRIPT_PATH}"></script>` : '';
  res.status(status).type('html').send(htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n${body}${script}`));
}
