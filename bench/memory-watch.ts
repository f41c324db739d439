// A server's memory over a stretch of time: VmRSS sampled once a second (and on demand), and the
// kernel's own high-water mark (VmHWM), which catches peaks between samples.
import type { MemorySample, RunningServer } from './processes';

export interface MemoryTrace {
  /** RSS samples in KiB, one a second plus any taken with mark(). */
  samplesKb: number[];
  /** The largest sample, KiB. */
  maxSampledKb: number;
  /** VmHWM when the watch stopped (peak since the process started), KiB; null without /proc. */
  peakRssKb: number | null;
  /** RSS at the last sample, KiB. */
  lastKb: number;
}

export interface MemoryWatch {
  /** Takes a sample now and returns it. */
  mark(): MemorySample;
  stop(): MemoryTrace;
}

export function watchMemory(server: Pick<RunningServer, 'memory'>, intervalMs = 1000): MemoryWatch {
  const samplesKb: number[] = [];
  let last: MemorySample | null = null;
  const sample = () => {
    try {
      last = server.memory();
      samplesKb.push(last.rssKb);
    } catch {
      // the process is gone; the trace keeps what it has
    }
    return last;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  let trace: MemoryTrace | null = null;
  return {
    mark: () => sample() ?? { rssKb: Number.NaN, peakRssKb: null },
    /** Stops sampling; later calls answer the same trace. */
    stop() {
      if (trace) return trace;
      clearInterval(timer);
      const final = sample();
      trace = {
        samplesKb,
        maxSampledKb: samplesKb.length > 0 ? Math.max(...samplesKb) : Number.NaN,
        peakRssKb: final?.peakRssKb ?? null,
        lastKb: final?.rssKb ?? Number.NaN,
      };
      return trace;
    },
  };
}
