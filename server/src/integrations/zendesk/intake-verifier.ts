// Zendesk in front of intake: when the workspace holds a Zendesk signing secret, every request must
// carry Zendesk's webhook signature (checked on the raw bytes), and a signature's first use is claimed
// so a second use within the tolerance is known; Zendesk's webhook invocation id, which Zendesk keeps
// across its own retries, stands in as the idempotency key when the caller sends none.
import { AppError } from '../../approvals/errors';
import type { PlatformEventStore } from '../../approvals/ports';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import type { IntakeRequestFacts, IntakeVerdict, IntakeVerifier } from '../../http/intake-verification';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyZendeskSignature, type SignatureVerdict } from './webhook-signature';
import type { ZendeskSettings } from './zendesk-settings';

/** Where a signature's first use is claimed, so a second use within the tolerance is known. */
export const SIGNATURE_CLAIMS = 'zendesk-signature';
const INVOCATION_HEADER = 'x-zendesk-webhook-invocation-id';
const PRINTABLE = /^[\x20-\x7e]{1,200}$/;

const REFUSAL: Record<Exclude<SignatureVerdict, 'valid'>, string> = {
  missing: `This workspace only accepts requests signed by Zendesk: send ${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER}.`,
  malformed_timestamp: `${TIMESTAMP_HEADER} is not an ISO-8601 time.`,
  stale: `${TIMESTAMP_HEADER} is more than 5 minutes from the server's clock; the request may be a replay.`,
  mismatch: `${SIGNATURE_HEADER} does not match the body; check the webhook's signing secret.`,
};

export class ZendeskIntakeVerifier implements IntakeVerifier {
  constructor(
    private readonly zendesk: ZendeskSettings,
    private readonly claims: Pick<PlatformEventStore, 'claim'>,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * The invocation id is not signed, so it cannot tell a replay from a second invocation with a
   * byte-identical body in the same second; answering such a duplicate only with what the first use
   * created is the safe side.
   */
  async verify(workspace: WorkspaceRecord, request: IntakeRequestFacts): Promise<IntakeVerdict> {
    const idempotencyKey = invocationKey(request.header(INVOCATION_HEADER));
    const secret = this.zendesk.signingSecret(workspace);
    if (secret === null) return { idempotencyKey, replay: false };
    const signature = request.header(SIGNATURE_HEADER);
    const timestamp = request.header(TIMESTAMP_HEADER);
    const verdict = verifyZendeskSignature(secret, { signature, timestamp, rawBody: request.rawBody }, this.clock());
    if (verdict !== 'valid') throw new AppError('unauthorized', `zendesk_signature_${verdict}`, REFUSAL[verdict]);
    const firstUse = await this.claims.claim(SIGNATURE_CLAIMS, `${timestamp!.trim()}.${signature!.trim()}`, this.clock());
    return { idempotencyKey, replay: !firstUse };
  }
}

function invocationKey(invocation: string | undefined): string | null {
  return invocation && PRINTABLE.test(invocation) ? `zendesk-invocation:${invocation.trim()}` : null;
}
