// Which details a reviewer changed when approving with modifiedDetails.
import type { JsonObject } from '@countersign/shared';

export interface DetailChange {
  key: string;
  before: unknown;
  after: unknown;
}

export function detailChanges(before: JsonObject, after: JsonObject): DetailChange[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => ({ key, before: before[key], after: after[key] }));
}
