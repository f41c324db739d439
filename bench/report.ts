// What a bench run prints: a table for people, then one `BENCH_RESULT {json}` line for scripts.
import os from 'node:os';
import type { CallbackLatencyResult } from './callback-latency';
import type { ContenderResult } from './intake-comparison';
import type { MachineLoad } from './machine-load';
import type { BenchSettings } from './settings';

export const TARGETS = {
  /** Countersign's intake req/s over the baseline's. */
  minThroughputRatio: 0.6,
  /** Decision-to-callback median, in ms. */
  maxCallbackP50Ms: 20,
} as const;

export interface BenchOutcome {
  settings: BenchSettings;
  bodyBytes: number;
  countersign: ContenderResult;
  baseline: ContenderResult;
  roundRatios: number[];
  /** One pass per concurrency level. */
  callbacks: CallbackLatencyResult[];
  /** Other processes' CPU use during the measured intake rounds. */
  machineLoad: MachineLoad | null;
  cpuProfiles: string[];
}

export interface Verdict {
  /** Countersign req/s over baseline req/s, all rounds together. */
  ratio: number;
  /** Baseline CPU ms per request over Countersign's: the ratio a CPU-bound server would reach. */
  cpuRatio: number;
  ratioMet: boolean;
  /** The callback p50 target, pass by pass (same order as outcome.callbacks). */
  callbackP50Met: boolean[];
  /** No intake error, no bad signature, no lost or duplicated callback, no failed decision. */
  correct: boolean;
}

export function judge(outcome: BenchOutcome): Verdict {
  const { countersign, baseline, callbacks } = outcome;
  const ratio = countersign.intake.requestsPerSec / baseline.intake.requestsPerSec;
  const intakeClean = (m: ContenderResult) => m.intake.non2xx === 0 && m.intake.socketErrors === 0 && m.intake.timeouts === 0;
  return {
    ratio,
    cpuRatio: baseline.intake.cpuMsPerRequest / countersign.intake.cpuMsPerRequest,
    ratioMet: ratio >= TARGETS.minThroughputRatio,
    callbackP50Met: callbacks.map((pass) => pass.p50Ms < TARGETS.maxCallbackP50Ms),
    correct: intakeClean(countersign) && intakeClean(baseline) && callbacks.every(callbacksClean),
  };
}

function callbacksClean(pass: CallbackLatencyResult): boolean {
  return (
    pass.measured === pass.approvals &&
    pass.received === pass.approvals &&
    pass.signatureFailures === 0 &&
    pass.missing === 0 &&
    pass.duplicates === 0 &&
    pass.malformed === 0 &&
    pass.wrongStatus === 0 &&
    pass.decisionErrors === 0
  );
}

export function printReport(outcome: BenchOutcome, verdict: Verdict, out: NodeJS.WritableStream = process.stdout): void {
  const { settings: s, countersign, baseline } = outcome;
  const cpus = os.cpus().length;
  const lines: string[] = [];
  lines.push('');
  lines.push(`Countersign bench — node ${process.version}, ${cpus} CPU(s), ${os.platform()}`);
  lines.push(`  Countersign log level: ${s.logLevel}    SQLite synchronous: ${s.sqliteSynchronous.toUpperCase()} (both servers)`);
  lines.push(
    `  intake load: ${s.connections} connections, ${s.warmupS} s warm-up, then ${s.rounds} alternating round(s) per server ` +
      `(${countersign.intake.elapsedS.toFixed(1)} s measured on Countersign, ${baseline.intake.elapsedS.toFixed(1)} s on the baseline), ${outcome.bodyBytes}-byte seed body`,
  );
  const load = outcome.machineLoad;
  if (load) {
    const noisy = load.otherCores + load.stealCores > 0.2;
    lines.push(
      `  other processes used ${load.otherCores.toFixed(2)} of ${cpus} CPU cores during the intake rounds (hypervisor steal ${load.stealCores.toFixed(2)})` +
        (noisy ? ' — req/s are noisy; CPU ms/request much less so' : ''),
    );
  }
  lines.push('');
  lines.push('Intake: POST /api/webhooks/inbound');
  lines.push(
    ...table(
      ['server', 'req/s', 'p50 ms', 'p99 ms', 'max ms', '2xx', 'non-2xx', 'socket errors', 'timeouts', 'CPU ms/req', 'RSS MB', 'peak RSS MB'],
      [intakeRow('Countersign', countersign), intakeRow('baseline (Express + SQLite)', baseline)],
    ).map((line) => `  ${line}`),
  );
  lines.push(
    `  ratio Countersign / baseline req/s: ${verdict.ratio.toFixed(2)}   (target ≥ ${TARGETS.minThroughputRatio}: ${met(verdict.ratioMet)}; ` +
      `by round: ${outcome.roundRatios.map((r) => r.toFixed(2)).join(', ')}; median ${median(outcome.roundRatios).toFixed(2)})`,
  );
  lines.push(`  CPU per request, baseline / Countersign: ${verdict.cpuRatio.toFixed(2)}   (the req/s ratio a CPU-bound machine would see)`);
  lines.push('');
  lines.push(`Decision → callback: ${s.callbacks} approvals per pass, each pass deciding a fixed number at a time`);
  lines.push(
    ...table(
      ['in flight', 'callback p50 ms', 'p99 ms', 'max ms', 'decision answered p50 ms', 'p99 ms', `p50 < ${TARGETS.maxCallbackP50Ms} ms`],
      outcome.callbacks.map((cb, i) => [
        String(cb.concurrency),
        ms(cb.p50Ms),
        ms(cb.p99Ms),
        ms(cb.maxMs),
        ms(cb.decisionP50Ms),
        ms(cb.decisionP99Ms),
        met(verdict.callbackP50Met[i]!),
      ]),
    ).map((line) => `  ${line}`),
  );
  const total = (pick: (cb: CallbackLatencyResult) => number) => outcome.callbacks.reduce((sum, cb) => sum + pick(cb), 0);
  lines.push(
    `  callbacks received ${total((cb) => cb.received)} of ${total((cb) => cb.approvals)}; webhook-signature failures ${total((cb) => cb.signatureFailures)}, ` +
      `missing ${total((cb) => cb.missing)}, duplicates ${total((cb) => cb.duplicates)}, wrong status or malformed ${total((cb) => cb.wrongStatus + cb.malformed)}, ` +
      `decision errors ${total((cb) => cb.decisionErrors)}`,
  );
  for (const file of outcome.cpuProfiles) lines.push(`  CPU profile of the Countersign child: ${file}  (npx tsx bench/hot-spots.ts <file>)`);
  lines.push('');
  lines.push(verdict.correct ? 'Correctness: no intake errors; every callback arrived once, signature verified, with the right status.' : 'Correctness: FAILED (see the error counts above).');
  lines.push('');
  lines.push(`BENCH_RESULT ${JSON.stringify(summary(outcome, verdict))}`);
  out.write(`${lines.join('\n')}\n`);
}

function summary(outcome: BenchOutcome, verdict: Verdict) {
  const { settings: s } = outcome;
  const server = (m: ContenderResult) => ({
    requestsPerSec: round(m.intake.requestsPerSec),
    p50Ms: round(m.intake.p50Ms),
    p99Ms: round(m.intake.p99Ms),
    maxMs: round(m.intake.maxMs),
    elapsedS: round(m.intake.elapsedS, 2),
    completed: m.intake.completed,
    ok2xx: m.intake.ok2xx,
    non2xx: m.intake.non2xx,
    socketErrors: m.intake.socketErrors,
    timeouts: m.intake.timeouts,
    statusCounts: m.intake.statusCounts,
    cpuMsPerRequest: round(m.intake.cpuMsPerRequest, 3),
    rssMb: round(m.memory.rssKb / 1024),
    peakRssMb: m.memory.peakRssKb === null ? null : round(m.memory.peakRssKb / 1024),
  });
  return {
    node: process.version,
    cpus: os.cpus().length,
    machineLoad: outcome.machineLoad && { otherCores: round(outcome.machineLoad.otherCores, 2), stealCores: round(outcome.machineLoad.stealCores, 2) },
    logLevel: s.logLevel,
    sqliteSynchronous: s.sqliteSynchronous,
    connections: s.connections,
    durationS: s.durationS,
    warmupS: s.warmupS,
    rounds: s.rounds,
    countersign: server(outcome.countersign),
    baseline: server(outcome.baseline),
    ratio: round(verdict.ratio, 3),
    roundRatios: outcome.roundRatios.map((r) => round(r, 3)),
    medianRoundRatio: round(median(outcome.roundRatios), 3),
    cpuRatio: round(verdict.cpuRatio, 3),
    callbacks: outcome.callbacks.map((cb) => ({
      concurrency: cb.concurrency,
      approvals: cb.approvals,
      measured: cb.measured,
      p50Ms: round(cb.p50Ms),
      p99Ms: round(cb.p99Ms),
      maxMs: round(cb.maxMs),
      decisionP50Ms: round(cb.decisionP50Ms),
      decisionP99Ms: round(cb.decisionP99Ms),
      received: cb.received,
      signatureFailures: cb.signatureFailures,
      missing: cb.missing,
      duplicates: cb.duplicates,
      malformed: cb.malformed,
      wrongStatus: cb.wrongStatus,
      decisionErrors: cb.decisionErrors,
    })),
    targets: {
      ratio: { min: TARGETS.minThroughputRatio, met: verdict.ratioMet },
      callbackP50Ms: { max: TARGETS.maxCallbackP50Ms, met: verdict.callbackP50Met.every(Boolean), byConcurrency: Object.fromEntries(outcome.callbacks.map((cb, i) => [cb.concurrency, verdict.callbackP50Met[i]])) },
    },
    correct: verdict.correct,
  };
}

function intakeRow(name: string, m: ContenderResult): string[] {
  const r = m.intake;
  return [
    name,
    r.requestsPerSec.toFixed(0),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    r.maxMs.toFixed(0),
    String(r.ok2xx),
    String(r.non2xx),
    String(r.socketErrors),
    String(r.timeouts),
    Number.isNaN(r.cpuMsPerRequest) ? '-' : r.cpuMsPerRequest.toFixed(3),
    (m.memory.rssKb / 1024).toFixed(1),
    m.memory.peakRssKb === null ? '-' : (m.memory.peakRssKb / 1024).toFixed(1),
  ];
}

/** Left-aligned first column, right-aligned numbers, columns sized to fit. */
function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const format = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function ms(value: number): string {
  return Number.isNaN(value) ? '-' : value.toFixed(1);
}

function met(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
