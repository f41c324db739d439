// `npm start` runs the server as npm's child (the script execs node, so no shell sits between them)
// and npm forwards SIGTERM and SIGINT to it. If npm itself dies without forwarding anything
// (SIGKILL, the OOM killer), the server would be orphaned and go on serving; so, when started by an
// npm script, it watches its parent and stops (draining) once it has been re-parented.
const CHECK_EVERY_MS = 1000;

/** Calls `onGone` once, when this process's parent has exited. */
export function whenParentExits(onGone: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, CHECK_EVERY_MS);
  // Never what keeps the process alive.
  timer.unref();
}

/** npm sets npm_lifecycle_event for the scripts it runs; a server started any other way is left alone. */
export function startedByNpm(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.npm_lifecycle_event);
}
