// How busy the rest of the machine was while we measured: CPU the whole system used (from
// /proc/stat) minus what the bench and its servers used. Another build or test run on the same
// box moves req/s a lot; this says whether that happened.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export interface MachineLoad {
  /** CPU cores' worth of work by other processes, averaged over the watch. */
  otherCores: number;
  /** Cores' worth of time the hypervisor gave to other guests (steal). */
  stealCores: number;
}

export interface MachineLoadWatch {
  stop(): MachineLoad | null;
}

let ticksPerSecond: number | null = null;

/** The kernel's clock tick (USER_HZ) that /proc CPU times are counted in. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** `ownCpuMs` reads the CPU time of every process the bench runs (itself and its servers). */
export function watchMachineLoad(ownCpuMs: () => number): MachineLoadWatch {
  const first = systemCpu();
  const ownBefore = ownCpuMs();
  const started = performance.now();
  return {
    stop() {
      const last = systemCpu();
      if (!first || !last) return null;
      const elapsedMs = performance.now() - started;
      const own = ownCpuMs() - ownBefore;
      return {
        otherCores: Math.max(0, last.busyMs - first.busyMs - own) / elapsedMs,
        stealCores: (last.stealMs - first.stealMs) / elapsedMs,
      };
    },
  };
}

function systemCpu(): { busyMs: number; stealMs: number } | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu user nice system idle iowait irq softirq steal …
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
    const msPerTick = 1000 / clockTicksPerSecond();
    return { busyMs: (user + nice + system + irq + softirq) * msPerTick, stealMs: steal * msPerTick };
  } catch {
    return null;
  }
}
