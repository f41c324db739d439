// When the calling workspace holds a Zendesk signing secret, intake must carry Zendesk's signature:
// checked on the raw bytes, before the body is parsed.
import type { RequestHandler } from 'express';
import { AppError } from '../../errors';
import { caller } from '../../http/locals';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyZendeskSignature, type SignatureVerdict } from './webhook-signature';
import type { ZendeskSettings } from './zendesk-settings';

const REFUSAL: Record<Exclude<SignatureVerdict, 'valid'>, string> = {
  missing: `This workspace only accepts requests signed by Zendesk: send ${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER}.`,
  malformed_timestamp: `${TIMESTAMP_HEADER} is not an ISO-8601 time.`,
  stale: `${TIMESTAMP_HEADER} is more than 5 minutes from the server's clock; the request may be a replay.`,
  mismatch: `${SIGNATURE_HEADER} does not match the body; check the webhook's signing secret.`,
};

export function zendeskSignatureCheck(zendesk: ZendeskSettings, clock: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const secret = zendesk.signingSecret(caller(res).workspace);
    if (secret === null) return next();
    const verdict = verifyZendeskSignature(secret, {
      signature: req.get(SIGNATURE_HEADER),
      timestamp: req.get(TIMESTAMP_HEADER),
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    }, clock());
    if (verdict !== 'valid') throw new AppError('unauthorized', `zendesk_signature_${verdict}`, REFUSAL[verdict]);
    next();
  };
}
