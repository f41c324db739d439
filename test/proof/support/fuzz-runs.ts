// How big a fuzz run is and which seed it replays, the same for every fuzz suite: FUZZ_RUNS is a case
// count, or xN to scale each part's own default; FUZZ_SEED replays a run (random otherwise: the suites
// print it).
export function fuzzRuns(base: number): number {
  const setting = process.env.FUZZ_RUNS?.trim();
  if (!setting) return base;
  const factor = /^x(\d+(?:\.\d+)?)$/i.exec(setting);
  if (factor) return Math.max(1, Math.round(base * Number(factor[1])));
  const n = Number(setting);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_RUNS must be a positive integer or xN, got "${setting}"`);
  return n;
}

export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
