// What `client.get(...)` sees: a dotted-path lookup into the sample ticket view. Answers have
// Zendesk's shape: one key per requested path, plus `errors` keyed by path for the paths that
// could not be resolved (the SDK throws those for a single-path get and leaves them to the
// caller for a bulk get).

/** A per-path error as the SDK's createError() expects it: name, message, path. */
export interface PathError {
  name: 'APIUnavailable';
  message: string;
  path: string;
}

/** A get, set or invoke result: values by path, and the paths that failed. */
export interface ZafResult {
  errors: Record<string, PathError>;
  [path: string]: unknown;
}

/** The data tree `get` reads: ticket, currentUser, currentAccount, colorScheme, instances. */
export type ZafTree = Record<string, unknown>;

export function pathError(path: string): PathError {
  return { name: 'APIUnavailable', message: `Could not find handler for: "${path}"`, path };
}

type Lookup = { found: false } | { found: true; value: unknown };

/** Follows own properties only, so "constructor" or "__proto__" never resolve. */
function lookup(tree: ZafTree, path: string): Lookup {
  let node: unknown = tree;
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return { found: false };
    node = (node as Record<string, unknown>)[segment];
  }
  return node === undefined ? { found: false } : { found: true, value: node };
}

/** `paths`: what the app asked for. */
export function answerGet(paths: string[], tree: ZafTree): ZafResult {
  const result: ZafResult = { errors: {} };
  for (const path of paths) {
    const hit = typeof path === 'string' ? lookup(tree, path) : { found: false as const };
    if (hit.found) result[path] = structuredClone(hit.value);
    else result.errors[path] = pathError(String(path));
  }
  return result;
}

/** The playground's ticket is read-only: every `set` path is refused the way an unknown path is. */
export function answerSet(values: unknown): ZafResult {
  const result: ZafResult = { errors: {} };
  for (const path of Object.keys(values ?? {})) result.errors[path] = pathError(path);
  return result;
}
