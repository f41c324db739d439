// Runs a task so that calls never overlap: a call made while the task runs is folded into one more
// run afterwards, so whoever asked still gets a result at least as fresh as their request.
export function singleFlight(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let rerun = false;
  return () => {
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          rerun = false;
          await task();
        } while (rerun);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
