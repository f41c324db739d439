// What a policy costs intake: the server's CPU per request for a workspace whose 50-rule policy
// matches only at its last rule (realistic rules: action globs, risk levels, platforms, agent names,
// numeric and equality comparisons on details, all evaluated and failing), against a workspace with
// no policy. Both requests end the same way (pending, one approval needed), so the difference is the
// policy's evaluation and what it records.
//
// The machine this runs on is shared, and another process's burst inflates the CPU time of whatever
// runs beside it, so a run with the policy and a run without must see the same machine: two
// Countersign processes, each holding both workspaces, are loaded at the same time, one with the
// policy's requests and the other without, and swap in the next round. Each server's CPU clock
// (/proc) is read around each round and divided by the requests it answered. A pair of rounds gives
// one ratio, the geometric mean of its two with/without ratios, in which the two processes' own
// speeds cancel; the figure is the median of the pairs. The evaluator's own cost, timed here with
// process.cpuUsage over many evaluations of the same request, is printed beside it as a cross-check.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { PolicyDocument, type PolicyInput } from '@countersign/shared';
import { evaluatePolicy } from '../server/src/approvals/policy';
import { INTAKE_PATH } from './intake-load';
import { REPO_ROOT, type RunningServer } from './processes';
import { SEED_INTAKE_BODY } from './seed-request';

const run = promisify(execFile);

export interface PolicyCostPlan {
  /** Seconds of load per round; a pair of rounds is one measurement. */
  roundS: number;
  rounds: number;
  connections: number;
}

export interface PolicyCostResult {
  rules: number;
  roundS: number;
  connections: number;
  /** Server CPU ms per request, round by round, with the policy and without (measured at the same time). */
  withPolicyMs: number[];
  withoutPolicyMs: number[];
  /** One per pair of rounds: the geometric mean of its two with/without ratios. */
  pairRatios: number[];
  medianRatio: number;
  /** Answers other than 201, which would make the comparison meaningless. */
  unexpected: number;
  /** CPU µs one evaluation of the policy for the seed request takes, in this process. */
  evaluationUs: number;
}

/** One Countersign process with both workspaces: the intake keys of the one with the policy and the one without. */
export interface PolicyCostServer {
  server: RunningServer;
  withPolicy: string;
  withoutPolicy: string;
}

const TIERS = ['gold', 'silver', 'bronze', 'staff', 'partner'];
const REGIONS = ['eu', 'us', 'apac', 'latam', 'uk', 'ca', 'au'];

/**
 * Fifty rules a support team might write, none matching the seed request (process_refund, high,
 * amount "49.00") until the last: most match its action (globs) and risk level and fail on a
 * details comparison, so each costs all its conditions.
 */
export function fiftyRulePolicy(): PolicyInput {
  const rules: PolicyInput['rules'] = [];
  for (let i = 0; rules.length < 49; i++) {
    const region = REGIONS[i % REGIONS.length]!;
    const tier = TIERS[i % TIERS.length]!;
    const id = `rule-${String(rules.length + 1).padStart(2, '0')}`;
    switch (i % 6) {
      case 0: rules.push({ id, when: { action: 'process_*', riskLevel: ['high', 'critical'], details: [{ path: 'amount', gt: 1000 + i * 50 }] }, then: { approvals: 2, reviewers: { emails: ['cfo@example.com'] } } }); break;
      case 1: rules.push({ id, when: { action: '*_refund', details: [{ path: 'amount', lte: 20 }, { path: 'customer.tier', eq: tier }] }, then: { decide: 'approve', note: `Small ${tier} refunds.` } }); break;
      case 2: rules.push({ id, when: { action: `refund_${region}_*`, riskLevel: ['low', 'medium'] }, then: { approvals: 1, reviewers: { zendeskGroups: [`36000${i}`] } } }); break;
      case 3: rules.push({ id, when: { action: 'process_refund', platform: 'intercom', details: [{ path: 'currency', in: ['USD', 'GBP', 'CAD'] }] }, then: { approvals: 1, reviewers: { intercomTeams: [String(50 + i)] } } }); break;
      case 4: rules.push({ id, when: { action: 'process_refund', agentName: `billing-bot-${region}` }, then: { decide: 'reject', note: 'That bot may not ask for refunds.' } }); break;
      default: rules.push({ id, when: { action: 'process_*', riskLevel: ['high'], details: [{ path: 'amount', gte: '500.00' }, { path: 'requester', ne: `vip-${i}@example.com` }] }, then: { approvals: 3, reviewers: { ids: ['api:admin', `zendesk:${380 + i}`] } } });
    }
  }
  rules.push({ id: 'everything-else', when: { action: 'process_*' }, then: { approvals: 1, reviewers: { zendeskGroups: ['360001'], emails: ['lead@example.com'] } } });
  return { rules };
}

/** A workspace with its own intake key and the 50-rule policy, through the admin CLI on a server's data dir. */
export async function policyWorkspace(env: Record<string, string | undefined>, scratch: string): Promise<{ intakeKey: string; rules: number }> {
  const cli = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/src/admin/cli.ts', ...args, '--json'], { cwd: REPO_ROOT, env });
    return JSON.parse(stdout) as Record<string, unknown>;
  };
  await cli('workspace', 'create', 'policy-bench');
  const { key } = await cli('key', 'create', '--workspace', 'policy-bench', '--scope', 'intake', '--label', 'bench');
  const policy = fiftyRulePolicy();
  const file = path.join(scratch, 'fifty-rules.json');
  fs.writeFileSync(file, JSON.stringify(policy));
  await cli('policy', 'set', '--workspace', 'policy-bench', '--file', file);
  return { intakeKey: key as string, rules: policy.rules.length };
}

/** Seed intakes with one key for `seconds`: the server's CPU ms per answered request. */
async function load(server: RunningServer, intakeKey: string, seconds: number, connections: number): Promise<{ ms: number; unexpected: number }> {
  const before = server.cpuMs();
  const result = await autocannon({
    url: server.url + INTAKE_PATH,
    method: 'POST',
    headers: { 'x-api-key': intakeKey, 'content-type': 'application/json' },
    body: JSON.stringify(SEED_INTAKE_BODY),
    connections,
    duration: seconds,
    timeout: 10,
  });
  const ms = (server.cpuMs() - before) / result.requests.total;
  const created = result.statusCodeStats['201']?.count ?? 0;
  return { ms, unexpected: result.requests.total - created + result.errors };
}

export async function measurePolicyCost(servers: [PolicyCostServer, PolicyCostServer], rules: number, plan: PolicyCostPlan, progress: (message: string) => void): Promise<PolicyCostResult> {
  // Warm-up: both paths compiled by the JIT on both servers before anything counts.
  await Promise.all(servers.map(async (s) => {
    await load(s.server, s.withPolicy, 2, plan.connections);
    await load(s.server, s.withoutPolicy, 2, plan.connections);
  }));
  const withPolicyMs: number[] = [];
  const withoutPolicyMs: number[] = [];
  const roundRatios: number[] = [];
  let unexpected = 0;
  const rounds = plan.rounds + (plan.rounds % 2);
  for (let round = 0; round < rounds; round++) {
    // Server 0 takes the policy's requests in even rounds, server 1 in odd ones; both at once.
    const [withSide, withoutSide] = round % 2 === 0 ? servers : [servers[1], servers[0]];
    const [w, n] = await Promise.all([load(withSide.server, withSide.withPolicy, plan.roundS, plan.connections), load(withoutSide.server, withoutSide.withoutPolicy, plan.roundS, plan.connections)]);
    unexpected += w.unexpected + n.unexpected;
    withPolicyMs.push(w.ms);
    withoutPolicyMs.push(n.ms);
    roundRatios.push(w.ms / n.ms);
    progress(`policy round ${round + 1}/${rounds}: ${w.ms.toFixed(3)} ms/request with ${rules} rules (${withSide.server.name}), ${n.ms.toFixed(3)} without (${withoutSide.server.name})`);
  }
  const pairRatios = [];
  for (let i = 0; i + 1 < roundRatios.length; i += 2) pairRatios.push(Math.sqrt(roundRatios[i]! * roundRatios[i + 1]!));
  const sorted = [...pairRatios].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const medianRatio = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { rules, roundS: plan.roundS, connections: plan.connections, withPolicyMs, withoutPolicyMs, pairRatios, medianRatio, unexpected, evaluationUs: evaluationCost() };
}

/** CPU µs per evaluation of the 50-rule policy for the seed request, after a warm-up (process.cpuUsage). */
function evaluationCost(iterations = 50_000): number {
  const document = PolicyDocument.parse(fiftyRulePolicy());
  const facts = { action: SEED_INTAKE_BODY.action, riskLevel: SEED_INTAKE_BODY.riskLevel, context: null, agentName: null, details: { ...SEED_INTAKE_BODY.details } };
  for (let i = 0; i < iterations / 5; i++) evaluatePolicy(document, facts);
  const before = process.cpuUsage();
  for (let i = 0; i < iterations; i++) evaluatePolicy(document, facts);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / iterations;
}
