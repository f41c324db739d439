// JSON merge patches (RFC 7396) over approval details: a reviewer sends what changed, Countersign
// applies it. Written here rather than taken from npm: the packages for it look keys up through the
// prototype chain and assign "__proto__" through its setter, and details are caller-supplied. Here
// every read is of own keys, every write defines an own key, and nothing passed in is mutated.
import { defineOwn, isJsonObject, ownValue, sameJson, type JsonObject } from './json';

/**
 * The target with the patch applied: a null removes a key, an object merges into the object at its
 * key (recursively), anything else (arrays included) replaces the value. Keys keep their order;
 * added keys come last. The result nests no deeper than the deeper of the two.
 */
export function applyMergePatch(target: unknown, patch: JsonObject): JsonObject {
  const base = isJsonObject(target) ? target : {};
  const result: JsonObject = {};
  for (const key of Object.keys(base)) {
    if (!Object.hasOwn(patch, key)) defineOwn(result, key, base[key]);
    else if (patch[key] !== null) defineOwn(result, key, patchedValue(base[key], patch[key]));
  }
  for (const key of Object.keys(patch)) {
    if (!Object.hasOwn(base, key) && patch[key] !== null) defineOwn(result, key, patchedValue(undefined, patch[key]));
  }
  return result;
}

function patchedValue(current: unknown, patch: unknown): unknown {
  return isJsonObject(patch) ? applyMergePatch(current, patch) : patch;
}

/**
 * The smallest merge patch that turns `before` into `after`: changed keys only, objects on both sides
 * as nested patches, removed keys as null. A merge patch reads null as "remove", so a null that
 * `after` holds inside an object where `before` had none cannot be expressed: applying the patch
 * gives `after` without that key (the detail-edit rule refuses such edits before they get here).
 */
export function mergePatchBetween(before: JsonObject, after: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(after)) {
    const was = ownValue(before, key);
    const now = after[key];
    if (Object.hasOwn(before, key) && sameJson(was, now)) continue;
    defineOwn(patch, key, isJsonObject(was) && isJsonObject(now) ? mergePatchBetween(was, now) : now);
  }
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) defineOwn(patch, key, null);
  return patch;
}
