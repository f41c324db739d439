// GET and PUT /api/policy, POST /api/policy/test: a workspace's policy, with an admin key. Admin keys
// manage; they never create or decide requests.
import { Router } from 'express';
import { PolicyDocument, PolicyTestBody, type PolicyView } from '@countersign/shared';
import type { PolicyInForce } from '../../approvals/policies';
import { parseDuration } from '../../config/duration';
import type { HttpDeps } from '../deps';
import { requireKey } from '../auth';
import { methodNotAllowed } from '../error-handler';
import { jsonBody } from '../json-body';
import { caller } from '../locals';
import { validatePolicy } from '../validate';

const DEFAULT_BACKTEST = '30d';

export function policyView(policy: PolicyInForce): PolicyView {
  return { version: policy.version, updatedAt: policy.updatedAt === null ? null : new Date(policy.updatedAt).toISOString(), rules: policy.document.rules };
}

export function policyRoutes(deps: HttpDeps): Router {
  const router = Router();
  const admin = requireKey(deps.store, 'admin');
  const body = jsonBody({ limitBytes: deps.config.bodyLimitBytes });

  router
    .route('/api/policy')
    .get(admin, async (_req, res) => {
      res.json(policyView(await deps.policies.current(caller(res).workspace.id)));
    })
    .put(admin, ...body, async (req, res) => {
      const document = validatePolicy(PolicyDocument, req.body);
      const { workspace, key } = caller(res);
      res.json(policyView(await deps.policies.set(workspace.id, document, key.id)));
    })
    .all(methodNotAllowed(['GET', 'PUT']));

  router
    .route('/api/policy/test')
    .post(admin, ...body, async (req, res) => {
      const input = validatePolicy(PolicyTestBody, req.body);
      const since = Date.now() - parseDuration(input.since ?? DEFAULT_BACKTEST)!;
      res.json(await deps.policies.test(caller(res).workspace.id, input.policy, since));
    })
    .all(methodNotAllowed(['POST']));

  return router;
}
