// Reading, listing, deciding and cancelling approvals.
import { Router, type Request, type Response } from 'express';
import { CancelBody, DecisionBody, ListQuery } from '@countersign/shared';
import { approvalNotFound } from '../../approvals/errors';
import { isApprovalId } from '../../approvals/ids';
import type { HttpDeps } from '../deps';
import { approvalView, auditEventView } from '../approval-view';
import { requireKey } from '../auth';
import { methodNotAllowed } from '../error-handler';
import { jsonBody } from '../json-body';
import { caller } from '../locals';
import type { Viewer } from '../../approvals/approval-service';
import { accessFor, reviewerPrincipal } from '../reviewer-principal';
import { validate } from '../validate';

/** The authenticated key, as the service's rule of who may see what needs it. */
function viewer(res: Response): Viewer {
  const { workspace, key } = caller(res);
  return { workspaceId: workspace.id, key };
}

/** Malformed ids are answered exactly like unknown ones. */
function approvalId(req: Request): string {
  const id = String(req.params.id ?? '');
  if (!isApprovalId(id)) throw approvalNotFound();
  return id;
}

export function approvalRoutes(deps: HttpDeps): Router {
  const router = Router();
  const { service, store } = deps;
  const reader = requireKey(store, 'intake', 'review');
  const reviewer = requireKey(store, 'review');
  const requester = requireKey(store, 'intake');

  router
    .route('/api/approvals')
    .get(reviewer, async (req, res) => {
      const query = validate(ListQuery, req.query, 'query');
      const filter = { status: query.status, ticketId: query.ticketId, conversationId: query.conversationId };
      const page = await service.list(caller(res).workspace.id, filter, query.limit, query.cursor);
      const access = accessFor(reviewerPrincipal(caller(res).key, req, deps.reviewerSessions));
      res.json({ items: page.items.map((approval) => ({ ...approvalView(approval), ...access(approval) })), nextCursor: page.nextCursor });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/api/approvals/:id')
    .get(reader, async (req, res) => {
      const approval = await service.get(viewer(res), approvalId(req));
      const { key } = caller(res);
      res.json({ ...approvalView(approval), ...(key.scope === 'review' ? accessFor(reviewerPrincipal(key, req, deps.reviewerSessions))(approval) : {}) });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/api/approvals/:id/cancel')
    .post(requester, ...jsonBody({ limitBytes: deps.config.bodyLimitBytes, optional: true }), async (req, res) => {
      const id = approvalId(req);
      const body = validate(CancelBody, req.body);
      res.json(approvalView(await service.cancel(viewer(res), id, body.reason)));
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/api/approvals/:id/decision')
    .post(reviewer, ...jsonBody({ limitBytes: deps.config.bodyLimitBytes }), async (req, res) => {
      const id = approvalId(req);
      const decision = validate(DecisionBody, req.body);
      const { key, workspace } = caller(res);
      const principal = reviewerPrincipal(key, req, deps.reviewerSessions);
      const decided = await service.decide(workspace.id, id, decision, principal);
      // A quorum approval leaves the request pending: the answer says this reviewer may not approve it again.
      res.json({ ...approvalView(decided), ...accessFor(principal)(decided) });
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/api/approvals/:id/events')
    .get(reader, async (req, res) => {
      const events = await service.events(viewer(res), approvalId(req));
      res.json({ items: events.map(auditEventView) });
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
