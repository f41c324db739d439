// Countersign's intake against the baseline's, made fair on a machine that is not quiet: both
// servers are up at once, each gets its warm-up, then the measured time of each is cut into rounds
// that alternate in ABBA order (C B, B C, C B…), so a slow stretch of the disk or a neighbour's
// burst of CPU lands on both sides rather than on whichever ran second.
import { combineSlices, fireIntake, type IntakeLoadResult, type IntakeSlice, type IntakeTarget } from './intake-load';
import type { MemorySample, RunningServer } from './processes';

export interface Contender {
  server: RunningServer;
  headers: Record<string, string>;
}

export interface IntakeComparisonPlan {
  connections: number;
  /** Measured seconds per server, all rounds together. */
  durationS: number;
  warmupS: number;
  rounds: number;
}

export interface ContenderResult {
  intake: IntakeLoadResult;
  /** Memory at the end of this server's last measured slice. */
  memory: MemorySample;
}

export interface IntakeComparison {
  countersign: ContenderResult;
  baseline: ContenderResult;
  /** Countersign req/s over baseline req/s, round by round. */
  roundRatios: number[];
}

export async function compareIntake(
  countersign: Contender,
  baseline: Contender,
  plan: IntakeComparisonPlan,
  progress: (message: string) => void,
): Promise<IntakeComparison> {
  const target = (c: Contender): IntakeTarget => ({ baseUrl: c.server.url, headers: c.headers, cpuMs: () => c.server.cpuMs() });
  const sliceS = plan.durationS / plan.rounds;

  if (plan.warmupS > 0) {
    for (const c of [countersign, baseline]) {
      progress(`${c.server.name}: ${plan.warmupS} s warm-up`);
      await fireIntake(target(c), plan.connections, plan.warmupS);
    }
  }

  const slices = new Map<Contender, IntakeSlice[]>([[countersign, []], [baseline, []]]);
  const memory = new Map<Contender, MemorySample>();
  const roundRatios: number[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? [countersign, baseline] : [baseline, countersign];
    const rate = new Map<Contender, number>();
    for (const c of order) {
      const slice = await fireIntake(target(c), plan.connections, sliceS);
      memory.set(c, c.server.memory());
      slices.get(c)!.push(slice);
      rate.set(c, slice.completed / slice.elapsedS);
      progress(`round ${round + 1}/${plan.rounds} ${c.server.name}: ${rate.get(c)!.toFixed(0)} req/s`);
    }
    roundRatios.push(rate.get(countersign)! / rate.get(baseline)!);
  }

  const result = (c: Contender): ContenderResult => ({ intake: combineSlices(slices.get(c)!), memory: memory.get(c)! });
  return { countersign: result(countersign), baseline: result(baseline), roundRatios };
}
