// What a reviewer changed: the list every answer, callback and note carries beside the complete
// effective details.
import { z } from 'zod';
import { isJsonObject, ownValue, sameJson, type JsonObject } from './json';

/**
 * `path` is the dotted path of keys into details ("address.city"), the syntax of the policy
 * language's detail paths, so a change can be matched against a rule as written. Like those paths
 * it does not escape a key that itself contains a dot; `from` and `to` still tell such changes apart.
 * `from` is absent for an added key, `to` for a removed one.
 */
export const DetailChangeSchema = z.object({
  path: z.string(),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
});
export type DetailChange = z.infer<typeof DetailChangeSchema>;

export const DETAIL_PATH_SEPARATOR = '.';

/**
 * Every difference between two detail objects, own keys only: values that are plain objects on both
 * sides are compared key by key, anything else (arrays included) as a whole. Changed and removed
 * keys come in `before`'s order, then added ones. Details nest MAX_JSON_DEPTH levels at most, so the
 * recursion is bounded.
 */
export function detailChanges(before: JsonObject, after: JsonObject): DetailChange[] {
  const changes: DetailChange[] = [];
  collectChanges(before, after, '', changes);
  return changes;
}

function collectChanges(before: JsonObject, after: JsonObject, prefix: string, changes: DetailChange[]): void {
  for (const key of Object.keys(before)) {
    const path = prefix + key;
    const was = before[key];
    const now = ownValue(after, key);
    if (!Object.hasOwn(after, key)) changes.push({ path, from: was });
    else if (isJsonObject(was) && isJsonObject(now)) collectChanges(was, now, path + DETAIL_PATH_SEPARATOR, changes);
    else if (!sameJson(was, now)) changes.push({ path, from: was, to: now });
  }
  for (const key of Object.keys(after)) if (!Object.hasOwn(before, key)) changes.push({ path: prefix + key, to: after[key] });
}

/** The changes of a settled approval: none when it was not approved with different details. */
export function approvalChanges(details: JsonObject, modifiedDetails: JsonObject | null): DetailChange[] {
  return modifiedDetails ? detailChanges(details, modifiedDetails) : [];
}
