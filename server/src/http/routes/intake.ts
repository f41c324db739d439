// POST /api/webhooks/inbound: an automation asks for a countersignature.
import { Router, type Request, type Response } from 'express';
import { IntakeBody } from '@countersign/shared';
import { AppError } from '../../approvals/errors';
import type { HttpDeps } from '../deps';
import type { IntakeVerdict } from '../intake-verification';
import type { ApprovalRecord } from '../../approvals/records';
import { approvalView } from '../approval-view';
import { requireKey } from '../auth';
import { errorHandler, methodNotAllowed } from '../error-handler';
import { rawBody, rawBytes, readJson } from '../json-body';
import { caller, locals } from '../locals';
import { awaitSettlement, waitBudgetMs } from '../sync-wait';
import { validate } from '../validate';

const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * The caller's Idempotency-Key; failing that, the one the platform in front supplies (Zendesk's
 * webhook invocation id, kept across its retries, so a retried invocation answers what it created).
 */
function idempotencyKey(req: Request, verdict: IntakeVerdict): string | null {
  const value = req.get('idempotency-key');
  if (value === undefined) return verdict.idempotencyKey;
  if (!IDEMPOTENCY_KEY.test(value) || value.trim() === '') {
    throw new AppError('bad_request', 'invalid_idempotency_key', 'Idempotency-Key must be 1-255 printable ASCII characters.');
  }
  return value;
}

/**
 * A signed request seen before may only answer what its first use created (same idempotency key).
 * Otherwise someone re-sent a captured request with a new key, within the signature's tolerance.
 */
async function refuseSignatureReplay(deps: HttpDeps, workspaceId: string, key: string | null): Promise<void> {
  if (key && (await deps.service.findByIdempotencyKey(workspaceId, key))) return;
  throw new AppError('conflict', 'zendesk_signature_replayed', 'This signed request was already received; a retry must carry the same x-zendesk-webhook-invocation-id (or Idempotency-Key).');
}

function answer(res: Response, approval: ApprovalRecord): void {
  res.status(approval.status === 'pending' ? 201 : 200).json(approvalView(approval));
}

function holdUntilSettled(deps: HttpDeps, req: Request, res: Response, workspaceId: string, approvalId: string, waitMs: number): void {
  awaitSettlement(deps, workspaceId, approvalId, waitMs, res).then(
    (approval) => answer(res, approval),
    (error: unknown) => errorHandler(error, req, res, () => undefined),
  );
}

export function intakeRoutes(deps: HttpDeps): Router {
  const router = Router();
  router
    .route('/api/webhooks/inbound')
    .post(requireKey(deps.store, 'intake'), rawBody(deps.config.bodyLimitBytes), async (req, res) => {
      const { workspace, key: apiKey } = caller(res);
      const raw = rawBytes(req);
      // Checked on the raw bytes, before anything is parsed.
      const verdict = await deps.intakeVerifier.verify(workspace, { header: (name) => req.get(name), rawBody: raw });
      const body = validate(IntakeBody, readJson(raw, req.get('content-type')));
      const key = idempotencyKey(req, verdict);
      if (verdict.replay) await refuseSignatureReplay(deps, workspace.id, key);
      const { created, approval } = await deps.service.create({ workspace, keyId: apiKey.id }, body, key);
      const budget = waitBudgetMs(body.maxWaitMs, req, deps.config.maxWaitMs);
      if (!created) res.setHeader('idempotent-replayed', 'true');
      if (budget.fromPrefer) res.setHeader('preference-applied', `wait=${Math.floor(budget.ms / 1000)}`);
      if (budget.ms <= 0 || approval.status !== 'pending') return answer(res, approval);
      // Detached from this frame and from the router's (which would otherwise stay alive, awaiting
      // it, for the whole wait): a held request keeps only ids alive, not the body, the records or
      // the middleware chain. Its errors take the one error path all the same.
      req.body = undefined;
      req.next = undefined;
      locals(res).caller = undefined;
      holdUntilSettled(deps, req, res, approval.workspaceId, approval.id, budget.ms);
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
