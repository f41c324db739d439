// When the calling workspace holds a Zendesk signing secret, intake must carry Zendesk's signature:
// checked on the raw bytes, before the body is parsed.
import type { RequestHandler } from 'express';
import { AppError } from '../../approvals/errors';
import { caller, locals } from '../../http/locals';
import type { Store } from '../../approvals/ports';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyZendeskSignature, type SignatureVerdict } from './webhook-signature';
import type { ZendeskSettings } from './zendesk-settings';

const REFUSAL: Record<Exclude<SignatureVerdict, 'valid'>, string> = {
  missing: `This workspace only accepts requests signed by Zendesk: send ${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER}.`,
  malformed_timestamp: `${TIMESTAMP_HEADER} is not an ISO-8601 time.`,
  stale: `${TIMESTAMP_HEADER} is more than 5 minutes from the server's clock; the request may be a replay.`,
  mismatch: `${SIGNATURE_HEADER} does not match the body; check the webhook's signing secret.`,
};

/** Where a signature's first use is claimed, so a second use within the tolerance is known. */
export const SIGNATURE_CLAIMS = 'zendesk-signature';

/**
 * A valid signature is claimed once (timestamp + signature). A second use is a retry or a replay:
 * it is marked on the response so intake answers it only with the request the first use created.
 * The invocation id is not signed, so it cannot tell a replay from a second invocation with a
 * byte-identical body in the same second; refusing that duplicate is the safe side.
 */
export function zendeskSignatureCheck(zendesk: ZendeskSettings, claims: Pick<Store, 'platformEvents'>, clock: () => number = Date.now): RequestHandler {
  return async (req, res, next) => {
    const secret = zendesk.signingSecret(caller(res).workspace);
    if (secret === null) return next();
    const verdict = verifyZendeskSignature(secret, {
      signature: req.get(SIGNATURE_HEADER),
      timestamp: req.get(TIMESTAMP_HEADER),
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    }, clock());
    if (verdict !== 'valid') throw new AppError('unauthorized', `zendesk_signature_${verdict}`, REFUSAL[verdict]);
    const firstUse = await claims.platformEvents.claim(SIGNATURE_CLAIMS, `${req.get(TIMESTAMP_HEADER)!.trim()}.${req.get(SIGNATURE_HEADER)!.trim()}`, clock());
    if (!firstUse) locals(res).signatureReused = true;
    next();
  };
}
