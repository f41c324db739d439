// The de-duplication window of platform notifications (COUNTERSIGN_EVENT_DEDUP_WINDOW). One setting
// bounds both how long a notification's duplicate record is kept and how old a notification may be
// to be acted on, so a captured, correctly signed notification can never be replayed after its
// duplicate record is gone.

export const DEFAULT_DEDUP_WINDOW_MS = 7 * 24 * 3600 * 1000;
/**
 * The shortest window accepted. Zendesk signatures are remembered in the same records for their
 * 5-minute tolerance either side, and unprocessed notifications are resumed after 30 s: an hour
 * leaves room for both.
 */
export const MIN_DEDUP_WINDOW_MS = 3600 * 1000;
/** A notification dated up to this far ahead of our clock (the sender's clock runs fast) is still judged by its date. */
export const FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * How long a duplicate record is kept. Records are dated by their arrival, and a notification dated
 * up to FUTURE_SKEW_MS ahead can arrive that much before its own date; keeping the record that much
 * longer than the window means every notification still young enough to be accepted finds its
 * record, if it was received before.
 */
export function dedupRecordRetentionMs(windowMs: number): number {
  return windowMs + FUTURE_SKEW_MS;
}
