// What `client.get(...)` sees: a dotted-path lookup into the sample ticket view. Answers have
// Zendesk's shape: one key per requested path, plus `errors` keyed by path for the paths that
// could not be resolved (the SDK throws those for a single-path get and leaves them to the
// caller for a bulk get).

/** A per-path error as the SDK's createError() expects it: name, message, path. */
export function pathError(path) {
  return { name: 'APIUnavailable', message: `Could not find handler for: "${path}"`, path };
}

/** Follows own properties only, so "constructor" or "__proto__" never resolve. */
function lookup(tree, path) {
  let node = tree;
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return { found: false };
    node = node[segment];
  }
  return node === undefined ? { found: false } : { found: true, value: node };
}

/**
 * @param {string[]} paths what the app asked for
 * @param {object} tree the data tree (ticket, currentUser, currentAccount, colorScheme, instances)
 */
export function answerGet(paths, tree) {
  const result = { errors: {} };
  for (const path of paths) {
    const hit = typeof path === 'string' ? lookup(tree, path) : { found: false };
    if (hit.found) result[path] = structuredClone(hit.value);
    else result.errors[path] = pathError(String(path));
  }
  return result;
}

/** The playground's ticket is read-only: every `set` path is refused the way an unknown path is. */
export function answerSet(values) {
  const result = { errors: {} };
  for (const path of Object.keys(values ?? {})) result.errors[path] = pathError(path);
  return result;
}
