// Countersign's intake against the baseline's, made fair on a machine that is not quiet: both
// servers are up at once, each gets its warm-up, then the measured time of each is cut into rounds
// that alternate in ABBA order (C B, B C, C B…), so a slow stretch of the disk or a neighbour's
// burst of CPU lands on both sides rather than on whichever ran second.
import { combineSlices, fireIntake, type IntakeLoadResult, type IntakeSlice, type IntakeTarget } from './intake-load';
import { watchMachineLoad, type MachineLoad } from './machine-load';
import type { MemorySample, RunningServer } from './processes';

export interface Contender {
  server: RunningServer;
  headers: Record<string, string>;
}

export interface IntakeComparisonPlan {
  connections: number;
  /** Measured seconds per server, all rounds together (each round lasts whole seconds). */
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
  /** What other processes did to the machine during the measured rounds; null without /proc. */
  machineLoad: MachineLoad | null;
}

export async function compareIntake(
  countersign: Contender,
  baseline: Contender,
  plan: IntakeComparisonPlan,
  progress: (message: string) => void,
): Promise<IntakeComparison> {
  const target = (c: Contender): IntakeTarget => ({ baseUrl: c.server.url, headers: c.headers, cpuMs: () => c.server.cpuMs() });
  // autocannon stops on its one-second tick, so a round lasts whole seconds.
  const sliceS = Math.max(1, Math.round(plan.durationS / plan.rounds));

  if (plan.warmupS > 0) {
    for (const c of [countersign, baseline]) {
      progress(`${c.server.name}: ${plan.warmupS} s warm-up`);
      await fireIntake(target(c), plan.connections, plan.warmupS);
    }
  }

  const slices = new Map<Contender, IntakeSlice[]>([[countersign, []], [baseline, []]]);
  const memory = new Map<Contender, MemorySample>();
  const roundRatios: number[] = [];
  const ownCpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000 + countersign.server.cpuMs() + baseline.server.cpuMs();
  };
  const watch = watchMachineLoad(ownCpuMs);
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

  const machineLoad = watch.stop();

  const result = (c: Contender): ContenderResult => ({ intake: combineSlices(slices.get(c)!), memory: memory.get(c)! });
  return { countersign: result(countersign), baseline: result(baseline), roundRatios, machineLoad };
}
