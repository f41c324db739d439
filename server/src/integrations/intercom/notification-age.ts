// Whether an Intercom notification is young enough to act on. Its duplicate record is kept only for
// the de-duplication window, so a notification at or beyond that age could be a replay that no
// record would catch: it is acknowledged and ignored. Intercom dates notifications with
// `created_at` (unix seconds), kept the same across its retries.
import { FUTURE_SKEW_MS } from '../../config/dedup-window';

export type NotificationAge = 'fresh' | 'too_old' | 'from_the_future' | 'undated';

/** A notification that cannot be dated cannot be judged, so it is not fresh (fail closed). */
export function notificationAge(createdAt: unknown, now: number, windowMs: number): NotificationAge {
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt) || createdAt <= 0) return 'undated';
  const ageMs = now - createdAt * 1000;
  if (ageMs >= windowMs) return 'too_old';
  if (-ageMs > FUTURE_SKEW_MS) return 'from_the_future';
  return 'fresh';
}
