// What a bench run prints: a table for people, then one `BENCH_RESULT {json}` line for scripts.
// Every part is optional (`npm run bench -- waiters` runs one); a part not run is left out of both.
import os from 'node:os';
import type { CallbackLatencyResult } from './callback-latency';
import type { FairnessResult } from './fairness';
import type { IntakeComparison, ContenderResult } from './intake-comparison';
import type { IntercomAckResult } from './intercom-ack';
import type { MachineLoad } from './machine-load';
import type { MemoryTrace } from './memory-watch';
import { openLoopClean, type OpenLoopResult } from './open-loop';
import type { PolicyCostResult } from './policy-cost';
import type { BenchSettings, Part } from './settings';
import type { StreamReachResult } from './stream-reach';
import type { SlackResult } from './slack-messages';
import type { SustainedResult } from './sustained-rate';
import type { WaiterResult } from './sync-waiters';

export const TARGETS = {
  /** Countersign's intake req/s over the baseline's. */
  minThroughputRatio: 0.6,
  /** Decision-to-callback median, in ms. */
  maxCallbackP50Ms: 20,
  /** Decision-to-callback 99th percentile while another workspace floods hanging receivers, in ms. */
  maxFairnessP99Ms: 1000,
  /** Server peak RSS (VmHWM) while holding the synchronous waiters, in MB. */
  maxWaiterPeakRssMb: 300,
  /** From a decision's 200 to its held intake response, 99th percentile, in ms. */
  maxReleaseP99Ms: 100,
  /** Intercom webhook acknowledgement under intake load, 99th percentile, in ms. */
  maxIntercomAckP99Ms: 50,
  /** From a request's due time to its approval.created event on each open stream, in ms. */
  maxStreamP50Ms: 100,
  maxStreamP99Ms: 500,
  /** RSS added by the idle streams, in MB. */
  maxIdleStreamsMb: 100,
  /** Server CPU per intake request with a 50-rule policy over without one (median of interleaved rounds). */
  maxPolicyCpuRatio: 1.05,
  /** Intake request → its chat.postMessage at the fake Slack API, median, in ms. */
  maxSlackPostP50Ms: 250,
} as const;

export interface PartRun {
  part: Part;
  /** Wall-clock seconds, server start to stop included. */
  durationS: number;
  /** Other processes' CPU use while the part's load ran. */
  machineLoad: MachineLoad | null;
  /** The Countersign child's --cpu-prof output, when BENCH_CPU_PROFILE_DIR is set. */
  cpuProfiles: string[];
}

export interface BenchOutcome {
  settings: BenchSettings;
  bodyBytes: number;
  intake: IntakeComparison | null;
  /** One pass per concurrency level. */
  callbacks: CallbackLatencyResult[] | null;
  fairness: FairnessResult | null;
  sustained: SustainedResult | null;
  waiters: WaiterResult | null;
  intercom: IntercomAckResult | null;
  reach: StreamReachResult | null;
  policy: PolicyCostResult | null;
  slack: SlackResult | null;
  runs: PartRun[];
}

export interface Verdict {
  /** Countersign req/s over baseline req/s, all rounds together (intake part). */
  ratio: number | null;
  /** Baseline CPU ms per request over Countersign's: the ratio a CPU-bound server would reach. */
  cpuRatio: number | null;
  ratioMet: boolean | null;
  /** The callback p50 target, pass by pass (same order as outcome.callbacks). */
  callbackP50Met: boolean[];
  /** The callback p99 while another workspace floods hanging receivers. */
  fairnessP99Met: boolean | null;
  waiterRssMet: boolean | null;
  releaseP99Met: boolean | null;
  intercomAckP99Met: boolean | null;
  /** Stream event p50 and p99, and the idle streams' memory. */
  streamLatencyMet: boolean | null;
  idleStreamsMet: boolean | null;
  policyCostMet: boolean | null;
  slackPostP50Met: boolean | null;
  /** Every performance target of the parts that ran. */
  targetsMet: boolean;
  /** No intake error, no bad signature, no lost or duplicated callback, no failed decision, every waiter released approved, every webhook acknowledged. */
  correct: boolean;
}

export function judge(outcome: BenchOutcome): Verdict {
  const { intake, callbacks, fairness, sustained, waiters, intercom, policy, reach, slack } = outcome;
  const ratio = intake ? intake.countersign.intake.requestsPerSec / intake.baseline.intake.requestsPerSec : null;
  const intakeClean = (m: ContenderResult) => m.intake.non2xx === 0 && m.intake.socketErrors === 0 && m.intake.timeouts === 0;
  const waiterPeakMb = waiters ? waiterPeakRssKb(waiters) / 1024 : null;
  const verdict = {
    ratio,
    cpuRatio: intake ? intake.baseline.intake.cpuMsPerRequest / intake.countersign.intake.cpuMsPerRequest : null,
    ratioMet: ratio === null ? null : ratio >= TARGETS.minThroughputRatio,
    callbackP50Met: (callbacks ?? []).map((pass) => pass.p50Ms < TARGETS.maxCallbackP50Ms),
    fairnessP99Met: fairness ? fairness.measured.p99Ms < TARGETS.maxFairnessP99Ms : null,
    waiterRssMet: waiterPeakMb === null ? null : waiterPeakMb < TARGETS.maxWaiterPeakRssMb,
    releaseP99Met: waiters ? waiters.releaseP99Ms < TARGETS.maxReleaseP99Ms : null,
    intercomAckP99Met: intercom ? intercom.acks.p99Ms < TARGETS.maxIntercomAckP99Ms : null,
    streamLatencyMet: reach ? reach.p50Ms < TARGETS.maxStreamP50Ms && reach.p99Ms < TARGETS.maxStreamP99Ms : null,
    idleStreamsMet: reach ? reach.idle.addedMb < TARGETS.maxIdleStreamsMb : null,
    policyCostMet: policy ? policy.medianRatio <= TARGETS.maxPolicyCpuRatio : null,
    slackPostP50Met: slack ? slack.post.p50Ms < TARGETS.maxSlackPostP50Ms : null,
    correct:
      (!intake || (intakeClean(intake.countersign) && intakeClean(intake.baseline))) &&
      (callbacks ?? []).every(callbacksClean) &&
      (!fairness || callbacksClean(fairness.measured)) &&
      (!sustained || openLoopClean(sustained.load)) &&
      (!waiters || waitersClean(waiters)) &&
      (!intercom || (openLoopClean(intercom.acks) && openLoopClean(intercom.intake))) &&
      (!reach || (openLoopClean(reach.intake) && reach.receivedEvents === reach.expectedEvents && reach.idle.opened === reach.idle.streams)) &&
      (!policy || policy.unexpected === 0) &&
      (!slack || (slack.missingPosts === 0 && slack.missingUpdates === 0 && slack.duplicatePosts === 0 && slack.requestErrors === 0)),
  };
  const judged = [verdict.ratioMet, ...verdict.callbackP50Met, verdict.fairnessP99Met, verdict.waiterRssMet, verdict.releaseP99Met, verdict.intercomAckP99Met, verdict.policyCostMet, verdict.streamLatencyMet, verdict.idleStreamsMet, verdict.slackPostP50Met];
  return { ...verdict, targetsMet: judged.every((ok) => ok !== false) };
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

function waitersClean(w: WaiterResult): boolean {
  return w.pendingConfirmed === w.waiters && w.decided === w.waiters && w.decisionErrors === 0 && w.waiterErrors === 0 && w.releasedApproved === w.waiters;
}

/** The peak the target is judged on: VmHWM at the end of the part (opening, holding and releasing), else the largest sample. */
function waiterPeakRssKb(w: WaiterResult): number {
  return w.memory.peakRssKb ?? w.memory.maxSampledKb;
}

export function printReport(outcome: BenchOutcome, verdict: Verdict, out: NodeJS.WritableStream = process.stdout): void {
  const { settings: s } = outcome;
  const cpus = os.cpus().length;
  const lines: string[] = [];
  lines.push('');
  lines.push(`Countersign bench — node ${process.version}, ${cpus} CPU(s), ${os.platform()}`);
  lines.push(`  Countersign log level: ${s.logLevel}    SQLite synchronous: ${s.sqliteSynchronous.toUpperCase()}    rate limits off    parts: ${s.parts.join(', ')}`);
  lines.push(`  each part on a fresh Countersign process and data dir; took ${outcome.runs.map((r) => `${r.part} ${r.durationS.toFixed(0)} s`).join(', ')}`);
  const noisyParts = outcome.runs.filter((r) => r.machineLoad && r.machineLoad.otherCores + r.machineLoad.stealCores > 0.2);
  if (noisyParts.length > 0) {
    lines.push(
      `  other processes used CPU during: ${noisyParts.map((r) => `${r.part} ${r.machineLoad!.otherCores.toFixed(2)} cores (steal ${r.machineLoad!.stealCores.toFixed(2)})`).join(', ')} ` +
        `of ${cpus} — latencies and req/s are noisy`,
    );
  }
  if (outcome.intake) printIntake(lines, outcome, outcome.intake, verdict);
  if (outcome.callbacks) printCallbacks(lines, s, outcome.callbacks, verdict);
  if (outcome.fairness) printFairness(lines, outcome.fairness, verdict);
  if (outcome.sustained) printSustained(lines, s, outcome.sustained);
  if (outcome.waiters) printWaiters(lines, outcome.waiters, verdict);
  if (outcome.intercom) printIntercom(lines, outcome.intercom, verdict);
  if (outcome.reach) printReach(lines, outcome.reach, verdict);
  if (outcome.policy) printPolicyCost(lines, outcome.policy, verdict);
  if (outcome.slack) printSlack(lines, outcome.slack, verdict);
  for (const run of outcome.runs) for (const file of run.cpuProfiles) lines.push(`  CPU profile of the Countersign child (${run.part}): ${file}  (npx tsx bench/hot-spots.ts <file>)`);
  lines.push('');
  lines.push(
    verdict.correct
      ? 'Correctness: no intake errors; every callback arrived once, signature verified, with the right status; every held request was released approved; every webhook was acknowledged as new.'
      : 'Correctness: FAILED (see the error counts above).',
  );
  lines.push(`Targets: ${verdict.targetsMet ? 'all met' : 'MISSED (see above)'}`);
  lines.push('');
  lines.push(`BENCH_RESULT ${JSON.stringify(summary(outcome, verdict))}`);
  out.write(`${lines.join('\n')}\n`);
}

function printIntake(lines: string[], outcome: BenchOutcome, intake: IntakeComparison, verdict: Verdict): void {
  const { settings: s } = outcome;
  const { countersign, baseline } = intake;
  lines.push('');
  lines.push('Intake: POST /api/webhooks/inbound, closed loop (autocannon), Countersign against a bare Express + SQLite baseline');
  lines.push(
    `  ${s.connections} connections, ${s.warmupS} s warm-up, then ${s.rounds} alternating round(s) per server ` +
      `(${countersign.intake.elapsedS.toFixed(1)} s measured on Countersign, ${baseline.intake.elapsedS.toFixed(1)} s on the baseline), ${outcome.bodyBytes}-byte seed body`,
  );
  const load = intake.machineLoad;
  if (load) {
    const noisy = load.otherCores + load.stealCores > 0.2;
    lines.push(
      `  other processes used ${load.otherCores.toFixed(2)} of ${os.cpus().length} CPU cores during the intake rounds (hypervisor steal ${load.stealCores.toFixed(2)})` +
        (noisy ? ' — req/s are noisy; CPU ms/request much less so' : ''),
    );
  }
  lines.push(
    ...indent(
      table(
        ['server', 'req/s', 'p50 ms', 'p99 ms', 'max ms', '2xx', 'non-2xx', 'socket errors', 'timeouts', 'CPU ms/req', 'RSS MB', 'peak RSS MB'],
        [intakeRow('Countersign', countersign), intakeRow('baseline (Express + SQLite)', baseline)],
      ),
    ),
  );
  lines.push(
    `  ratio Countersign / baseline req/s: ${verdict.ratio!.toFixed(2)}   (target ≥ ${TARGETS.minThroughputRatio}: ${met(verdict.ratioMet!)}; ` +
      `by round: ${intake.roundRatios.map((r) => r.toFixed(2)).join(', ')}; median ${median(intake.roundRatios).toFixed(2)})`,
  );
  lines.push(`  CPU per request, baseline / Countersign: ${verdict.cpuRatio!.toFixed(2)}   (the req/s ratio a CPU-bound machine would see)`);
}

function printCallbacks(lines: string[], s: BenchSettings, callbacks: CallbackLatencyResult[], verdict: Verdict): void {
  lines.push('');
  lines.push(`Decision → callback: ${s.callbacks} approvals per pass, each pass deciding a fixed number at a time`);
  lines.push(
    ...indent(
      table(
        ['in flight', 'callback p50 ms', 'p99 ms', 'max ms', 'decision answered p50 ms', 'p99 ms', `p50 < ${TARGETS.maxCallbackP50Ms} ms`],
        callbacks.map((cb, i) => [String(cb.concurrency), ms(cb.p50Ms), ms(cb.p99Ms), ms(cb.maxMs), ms(cb.decisionP50Ms), ms(cb.decisionP99Ms), met(verdict.callbackP50Met[i]!)]),
      ),
    ),
  );
  const total = (pick: (cb: CallbackLatencyResult) => number) => callbacks.reduce((sum, cb) => sum + pick(cb), 0);
  lines.push(
    `  callbacks received ${total((cb) => cb.received)} of ${total((cb) => cb.approvals)}; webhook-signature failures ${total((cb) => cb.signatureFailures)}, ` +
      `missing ${total((cb) => cb.missing)}, duplicates ${total((cb) => cb.duplicates)}, wrong status or malformed ${total((cb) => cb.wrongStatus + cb.malformed)}, ` +
      `decision errors ${total((cb) => cb.decisionErrors)}`,
  );
}

function printFairness(lines: string[], f: FairnessResult, verdict: Verdict): void {
  const cb = f.measured;
  lines.push('');
  lines.push(
    `Fairness: another workspace queued ${f.flood} callbacks to ${f.floodHosts} hosts that accept and never answer (default delivery timeout and caps); ` +
      `this workspace's ${cb.approvals} decisions, one at a time, meanwhile`,
  );
  lines.push(
    ...indent(
      table(
        ['in flight', 'callback p50 ms', 'p99 ms', 'max ms', 'decision answered p50 ms', 'p99 ms', `p99 < ${TARGETS.maxFairnessP99Ms} ms`],
        [[String(cb.concurrency), ms(cb.p50Ms), ms(cb.p99Ms), ms(cb.maxMs), ms(cb.decisionP50Ms), ms(cb.decisionP99Ms), met(verdict.fairnessP99Met!)]],
      ),
    ),
  );
  lines.push(
    `  flood requests that reached the hanging hosts: ${f.floodRequestsReceived}; callbacks received ${cb.received} of ${cb.approvals}; ` +
      `webhook-signature failures ${cb.signatureFailures}, missing ${cb.missing}, duplicates ${cb.duplicates}, wrong status or malformed ${cb.wrongStatus + cb.malformed}, decision errors ${cb.decisionErrors}`,
  );
}

function printSustained(lines: string[], s: BenchSettings, r: SustainedResult): void {
  lines.push('');
  lines.push(`Sustained intake: ${r.load.ratePerSec} req/s offered for ${s.sustainedS} s, open loop (latency counted from each request's due time)`);
  lines.push(...indent(table(OPEN_LOOP_HEADER, [openLoopRow('Countersign intake', r.load)])));
  lines.push(`  server CPU ${r.cpuMsPerRequest.toFixed(3)} ms/request; bench send lag max ${r.load.maxSendLagMs.toFixed(1)} ms; ${slowest(r.load)}`);
  lines.push(`  server RSS, sampled each second: ${memoryLine(r.memory)}`);
}

function printWaiters(lines: string[], w: WaiterResult, verdict: Verdict): void {
  lines.push('');
  lines.push(`Synchronous waiters: ${w.waiters} intake requests held open at once (maxWaitMs ${w.maxWaitMs}, one socket each), then approved ${w.decisionConcurrency} at a time`);
  lines.push(
    `  sent in ${w.openS.toFixed(1)} s; ${w.pendingConfirmed} of ${w.waiters} listed pending after ${w.confirmS.toFixed(1)} s; ` +
      `decided ${w.decided} in ${w.decideS.toFixed(1)} s (decision answered p50 ${ms(w.decisionP50Ms)} ms, p99 ${ms(w.decisionP99Ms)} ms, errors ${w.decisionErrors})`,
  );
  lines.push(
    `  server RSS holding them: ${mb(w.holdingRssKb)} MB (peak so far ${w.holdingPeakRssKb === null ? '-' : mb(w.holdingPeakRssKb)} MB); ` +
      `whole part: ${memoryLine(w.memory)}   (peak < ${TARGETS.maxWaiterPeakRssMb} MB: ${met(verdict.waiterRssMet!)})`,
  );
  lines.push(
    `  release latency, decision 200 → held response: p50 ${ms(w.releaseP50Ms)} ms, p99 ${ms(w.releaseP99Ms)} ms, max ${ms(w.releaseMaxMs)} ms over ${w.releaseMeasured}   ` +
      `(p99 < ${TARGETS.maxReleaseP99Ms} ms: ${met(verdict.releaseP99Met!)}); ${w.releasedBeforeDecisionAnswer} held responses arrived before their decision's 200 (counted as 0 ms)`,
  );
  lines.push(
    `  released 200 approved: ${w.releasedApproved} of ${w.waiters}; held response statuses ${JSON.stringify(w.waiterStatusCounts)}; socket errors or timeouts ${w.waiterErrors}${w.waiterErrors > 0 ? ` ${JSON.stringify(w.waiterErrorCodes)}` : ''}`,
  );
}

function printIntercom(lines: string[], r: IntercomAckResult, verdict: Verdict): void {
  lines.push('');
  lines.push(`Intercom webhook acknowledgement under intake load: both open loop for ${r.acks.offered / r.acks.ratePerSec} s after ${r.warmupS} s of the same load unmeasured, fresh notification ids, signed X-Hub-Signature`);
  lines.push(...indent(table(OPEN_LOOP_HEADER, [openLoopRow('POST /webhooks/intercom', r.acks), openLoopRow('POST /api/webhooks/inbound', r.intake)])));
  lines.push(
    `  acknowledgement p99 ${ms(r.acks.p99Ms)} ms (target < ${TARGETS.maxIntercomAckP99Ms} ms: ${met(verdict.intercomAckP99Met!)}); ` +
      `acks not {received, not duplicate}: ${r.acks.rejected}; bench send lag max ${Math.max(r.acks.maxSendLagMs, r.intake.maxSendLagMs).toFixed(1)} ms`,
  );
  lines.push(`  acks ${slowest(r.acks)}`);
  lines.push(`  intake ${slowest(r.intake)}`);
}

function printPolicyCost(lines: string[], r: PolicyCostResult, verdict: Verdict): void {
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  lines.push('');
  lines.push(`Policy cost: intake to a workspace with a ${r.rules}-rule policy (matching only at its last rule) against one with none`);
  lines.push(
    `  two Countersign processes loaded at once, one with the policy's requests and one without, swapping each round: ` +
      `${r.withPolicyMs.length} rounds of ${r.roundS} s, ${r.connections} connections each; server CPU read around each round ` +
      '(the second server counts among the "other processes" above)',
  );
  lines.push(`  CPU ms/request: with the policy ${mean(r.withPolicyMs).toFixed(3)}, without ${mean(r.withoutPolicyMs).toFixed(3)} (means over the rounds); answers other than 201: ${r.unexpected}`);
  lines.push(
    `  the evaluation alone: ${r.evaluationUs.toFixed(1)} µs CPU per request (process.cpuUsage over many evaluations), ` +
      `${((100 * r.evaluationUs) / 1000 / mean(r.withoutPolicyMs)).toFixed(2)}% of a request without a policy`,
  );
  lines.push(
    `  CPU per request, with / without: median ${r.medianRatio.toFixed(3)}   (target ≤ ${TARGETS.maxPolicyCpuRatio}: ${met(verdict.policyCostMet!)}; ` +
      `by pair of rounds: ${r.pairRatios.map((x) => x.toFixed(3)).join(', ')})`,
  );
}

function printSlack(lines: string[], r: SlackResult, verdict: Verdict): void {
  lines.push('');
  lines.push(`Slack through the outbox: ${r.requests} requests posted, then decided, ${r.concurrency} at a time, at a fake Slack Web API (SLACK_API_URL)`);
  lines.push(...indent(table(['path', 'measured', 'p50 ms', 'p99 ms', 'max ms'], [
    ['intake → chat.postMessage', String(r.post.measured), ms(r.post.p50Ms), ms(r.post.p99Ms), ms(r.post.maxMs)],
    ['decision → chat.update', String(r.update.measured), ms(r.update.p50Ms), ms(r.update.p99Ms), ms(r.update.maxMs)],
  ])));
  lines.push(
    `  post p50 ${ms(r.post.p50Ms)} ms (target < ${TARGETS.maxSlackPostP50Ms} ms: ${met(verdict.slackPostP50Met!)}); ` +
      `missing posts ${r.missingPosts}, missing updates ${r.missingUpdates}, duplicate posts ${r.duplicatePosts}, failed requests ${r.requestErrors}`,
  );
}

function slowest(r: OpenLoopResult): string {
  return `slowest seconds: ${r.slowestSeconds.map((s) => `t=${s.atS}s max ${s.maxMs.toFixed(0)} ms (${s.over100Ms} over 100 ms)`).join(', ')}`;
}

const OPEN_LOOP_HEADER = ['requests', 'offered/s', 'achieved/s', 'p50 ms', 'p99 ms', 'max ms', 'sent', '2xx', 'non-2xx', 'socket errors', 'timeouts'];

function openLoopRow(name: string, r: OpenLoopResult): string[] {
  return [
    name,
    String(r.ratePerSec),
    r.achievedPerSec.toFixed(1),
    ms(r.p50Ms),
    ms(r.p99Ms),
    ms(r.maxMs),
    String(r.offered),
    String(r.ok2xx),
    String(r.non2xx),
    String(r.socketErrors),
    String(r.timeouts),
  ];
}

function memoryLine(m: MemoryTrace): string {
  const samples = m.samplesKb;
  const first = samples[0];
  return (
    `first ${first === undefined ? '-' : mb(first)} MB, last ${mb(m.lastKb)} MB, max sampled ${mb(m.maxSampledKb)} MB, ` +
    `peak (VmHWM) ${m.peakRssKb === null ? '-' : mb(m.peakRssKb)} MB over ${samples.length} samples`
  );
}

function summary(outcome: BenchOutcome, verdict: Verdict) {
  const { settings: s, intake, callbacks, fairness, sustained, waiters, intercom, policy, reach, slack } = outcome;
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
  const load = (l: MachineLoad | null) => l && { otherCores: round(l.otherCores, 2), stealCores: round(l.stealCores, 2) };
  return {
    node: process.version,
    cpus: os.cpus().length,
    parts: s.parts,
    durationsS: Object.fromEntries(outcome.runs.map((r) => [r.part, round(r.durationS)])),
    machineLoadByPart: Object.fromEntries(outcome.runs.map((r) => [r.part, load(r.machineLoad)])),
    logLevel: s.logLevel,
    sqliteSynchronous: s.sqliteSynchronous,
    ...(intake && {
      machineLoad: load(intake.machineLoad),
      connections: s.connections,
      durationS: s.durationS,
      warmupS: s.warmupS,
      rounds: s.rounds,
      countersign: server(intake.countersign),
      baseline: server(intake.baseline),
      ratio: round(verdict.ratio!, 3),
      roundRatios: intake.roundRatios.map((r) => round(r, 3)),
      medianRoundRatio: round(median(intake.roundRatios), 3),
      cpuRatio: round(verdict.cpuRatio!, 3),
    }),
    ...(callbacks && {
      callbacks: callbacks.map((cb) => ({
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
    }),
    ...(fairness && {
      fairness: {
        flood: fairness.flood,
        floodHosts: fairness.floodHosts,
        floodRequestsReceived: fairness.floodRequestsReceived,
        approvals: fairness.measured.approvals,
        measured: fairness.measured.measured,
        p50Ms: round(fairness.measured.p50Ms),
        p99Ms: round(fairness.measured.p99Ms),
        maxMs: round(fairness.measured.maxMs),
        decisionP50Ms: round(fairness.measured.decisionP50Ms),
        decisionP99Ms: round(fairness.measured.decisionP99Ms),
        received: fairness.measured.received,
        signatureFailures: fairness.measured.signatureFailures,
        missing: fairness.measured.missing,
        duplicates: fairness.measured.duplicates,
        malformed: fairness.measured.malformed,
        wrongStatus: fairness.measured.wrongStatus,
        decisionErrors: fairness.measured.decisionErrors,
      },
    }),
    ...(sustained && {
      sustained: {
        durationS: s.sustainedS,
        ...openLoopSummary(sustained.load),
        cpuMsPerRequest: round(sustained.cpuMsPerRequest, 3),
        memory: memorySummary(sustained.memory),
      },
    }),
    ...(waiters && {
      waiters: {
        waiters: waiters.waiters,
        maxWaitMs: waiters.maxWaitMs,
        decisionConcurrency: waiters.decisionConcurrency,
        openS: round(waiters.openS, 2),
        pendingConfirmed: waiters.pendingConfirmed,
        confirmS: round(waiters.confirmS, 2),
        holdingRssMb: round(waiters.holdingRssKb / 1024),
        holdingPeakRssMb: waiters.holdingPeakRssKb === null ? null : round(waiters.holdingPeakRssKb / 1024),
        memory: memorySummary(waiters.memory),
        decided: waiters.decided,
        decisionErrors: waiters.decisionErrors,
        decideS: round(waiters.decideS, 2),
        decisionP50Ms: round(waiters.decisionP50Ms),
        decisionP99Ms: round(waiters.decisionP99Ms),
        releasedApproved: waiters.releasedApproved,
        waiterStatusCounts: waiters.waiterStatusCounts,
        waiterErrors: waiters.waiterErrors,
        waiterErrorCodes: waiters.waiterErrorCodes,
        releasedBeforeDecisionAnswer: waiters.releasedBeforeDecisionAnswer,
        releaseMeasured: waiters.releaseMeasured,
        releaseP50Ms: round(waiters.releaseP50Ms),
        releaseP99Ms: round(waiters.releaseP99Ms),
        releaseMaxMs: round(waiters.releaseMaxMs),
      },
    }),
    ...(intercom && {
      intercom: {
        durationS: s.intercomS,
        acks: openLoopSummary(intercom.acks),
        intake: openLoopSummary(intercom.intake),
      },
    }),
    ...(reach && {
      reach: {
        streams: reach.streams,
        intake: openLoopSummary(reach.intake),
        events: { expected: reach.expectedEvents, received: reach.receivedEvents, p50Ms: round(reach.p50Ms), p99Ms: round(reach.p99Ms), maxMs: round(reach.maxMs) },
        idle: { ...reach.idle, addedMb: round(reach.idle.addedMb) },
      },
    }),
    ...(policy && {
      policy: {
        rules: policy.rules,
        roundS: policy.roundS,
        connections: policy.connections,
        withPolicyCpuMsPerRequest: policy.withPolicyMs.map((v) => round(v, 4)),
        withoutPolicyCpuMsPerRequest: policy.withoutPolicyMs.map((v) => round(v, 4)),
        pairRatios: policy.pairRatios.map((r) => round(r, 3)),
        medianRatio: round(policy.medianRatio, 3),
        unexpected: policy.unexpected,
        evaluationUs: round(policy.evaluationUs, 2),
      },
    }),
    ...(slack && {
      slack: {
        requests: slack.requests,
        concurrency: slack.concurrency,
        postP50Ms: round(slack.post.p50Ms),
        postP99Ms: round(slack.post.p99Ms),
        updateP50Ms: round(slack.update.p50Ms),
        updateP99Ms: round(slack.update.p99Ms),
        missingPosts: slack.missingPosts,
        missingUpdates: slack.missingUpdates,
        duplicatePosts: slack.duplicatePosts,
        requestErrors: slack.requestErrors,
      },
    }),
    targets: {
      ...(verdict.ratioMet !== null && { ratio: { min: TARGETS.minThroughputRatio, met: verdict.ratioMet } }),
      ...(callbacks && {
        callbackP50Ms: {
          max: TARGETS.maxCallbackP50Ms,
          met: verdict.callbackP50Met.every(Boolean),
          byConcurrency: Object.fromEntries(callbacks.map((cb, i) => [cb.concurrency, verdict.callbackP50Met[i]])),
        },
      }),
      ...(fairness && { fairnessP99Ms: { max: TARGETS.maxFairnessP99Ms, met: verdict.fairnessP99Met } }),
      ...(waiters && {
        waiterPeakRssMb: { max: TARGETS.maxWaiterPeakRssMb, value: round(waiterPeakRssKb(waiters) / 1024), met: verdict.waiterRssMet },
        releaseP99Ms: { max: TARGETS.maxReleaseP99Ms, met: verdict.releaseP99Met },
      }),
      ...(intercom && { intercomAckP99Ms: { max: TARGETS.maxIntercomAckP99Ms, met: verdict.intercomAckP99Met } }),
      ...(reach && {
        streamEventMs: { maxP50: TARGETS.maxStreamP50Ms, maxP99: TARGETS.maxStreamP99Ms, met: verdict.streamLatencyMet },
        idleStreamsMb: { max: TARGETS.maxIdleStreamsMb, met: verdict.idleStreamsMet },
      }),
      ...(policy && { policyCpuRatio: { max: TARGETS.maxPolicyCpuRatio, value: round(policy.medianRatio, 3), met: verdict.policyCostMet } }),
      ...(slack && { slackPostP50Ms: { max: TARGETS.maxSlackPostP50Ms, met: verdict.slackPostP50Met } }),
      allMet: verdict.targetsMet,
    },
    correct: verdict.correct,
  };
}

function openLoopSummary(r: OpenLoopResult) {
  return {
    offeredPerSec: r.ratePerSec,
    achievedPerSec: round(r.achievedPerSec),
    offered: r.offered,
    completed: r.completed,
    elapsedS: round(r.elapsedS, 2),
    p50Ms: round(r.p50Ms),
    p99Ms: round(r.p99Ms),
    maxMs: round(r.maxMs),
    ok2xx: r.ok2xx,
    non2xx: r.non2xx,
    rejected: r.rejected,
    socketErrors: r.socketErrors,
    timeouts: r.timeouts,
    statusCounts: r.statusCounts,
    maxSendLagMs: round(r.maxSendLagMs),
    slowestSeconds: r.slowestSeconds.map((s) => ({ atS: s.atS, maxMs: round(s.maxMs), over100Ms: s.over100Ms })),
  };
}

function memorySummary(m: MemoryTrace) {
  return {
    firstRssMb: m.samplesKb[0] === undefined ? null : round(m.samplesKb[0] / 1024),
    lastRssMb: round(m.lastKb / 1024),
    maxSampledRssMb: round(m.maxSampledKb / 1024),
    peakRssMb: m.peakRssKb === null ? null : round(m.peakRssKb / 1024),
    samples: m.samplesKb.length,
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

function indent(rows: string[]): string[] {
  return rows.map((line) => `  ${line}`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function ms(value: number): string {
  return Number.isNaN(value) ? '-' : value.toFixed(1);
}

function mb(kb: number): string {
  return Number.isNaN(kb) ? '-' : (kb / 1024).toFixed(1);
}

function met(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function printReach(lines: string[], r: StreamReachResult, verdict: Verdict): void {
  lines.push('');
  lines.push(`Reach: ${r.streams} open streams while intake runs at ${r.intake.ratePerSec}/s (open loop), then ${r.idle.streams} idle streams`);
  lines.push(
    `  intake → approval.created on every stream: ${r.receivedEvents}/${r.expectedEvents} events, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms ` +
      `(targets p50 < ${TARGETS.maxStreamP50Ms} ms, p99 < ${TARGETS.maxStreamP99Ms} ms: ${met(verdict.streamLatencyMet!)}); intake p99 ${r.intake.p99Ms.toFixed(1)} ms`,
  );
  lines.push(
    `  ${r.idle.opened}/${r.idle.streams} idle streams: RSS ${(r.idle.rssBeforeKb / 1024).toFixed(1)} → ${(r.idle.rssAfterKb / 1024).toFixed(1)} MB, +${r.idle.addedMb.toFixed(1)} MB ` +
      `(target < ${TARGETS.maxIdleStreamsMb} MB: ${met(verdict.idleStreamsMet!)})`,
  );
}
