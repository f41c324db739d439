// Checks on caller-supplied JSON values: plain objects only, bounded nesting, numbers JSON can carry.

export type JsonObject = { [key: string]: unknown };
export type JsonPath = Array<string | number>;

/** Deep enough for any real payload, shallow enough that recursive code downstream is safe. */
export const MAX_JSON_DEPTH = 32;

export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Nesting depth of a JSON value, computed without recursion so hostile input cannot overflow the stack. */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, level]);
  }
  return deepest;
}

/**
 * Whether JSON carries this number exactly. JSON.parse reads 1e400 as Infinity (which is then written
 * out as null) and rounds integers beyond 2^53 − 1 to a neighbour, both without a word; such numbers
 * must travel as strings. Fractions are left alone: 0.1 is not exact either, and nobody expects it.
 */
export function isRepresentableNumber(value: number): boolean {
  return Number.isFinite(value) && !(Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER);
}

/** The path of every number JSON cannot carry exactly (at most `limit` of them), in document order; no recursion. */
export function unrepresentableNumberPaths(value: unknown, limit = Number.POSITIVE_INFINITY): JsonPath[] {
  const found: JsonPath[] = [];
  const stack: Array<[unknown, JsonPath]> = [[value, []]];
  while (stack.length > 0 && found.length < limit) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'number' && !isRepresentableNumber(node)) found.push(path);
    if (typeof node !== 'object' || node === null) continue;
    const children: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((child, index) => [index, child]) : Object.entries(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]![1], [...path, children[i]![0]]]);
  }
  return found;
}

/** Whether any object inside the value has this own key; no recursion. */
export function hasJsonKey(value: unknown, key: string): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (!Array.isArray(node) && Object.hasOwn(node, key)) return true;
    for (const child of Object.values(node)) stack.push(child);
  }
  return false;
}

/**
 * Equality of JSON values: objects by their own keys in any order, arrays element by element. The
 * values it compares are nested MAX_JSON_DEPTH levels at most, so recursion is safe here.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && sameJson((a as JsonObject)[key], (b as JsonObject)[key]));
}

/** The value of an own key, never one inherited from Object.prototype ("constructor", "toString", …). */
export function ownValue(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Sets an own, enumerable key, so that even "__proto__" is a plain key and never the prototype setter. */
export function defineOwn(object: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
