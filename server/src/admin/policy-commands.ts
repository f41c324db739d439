// `policy show|set|test`: a workspace's policy from the admin CLI, straight on the store, the same
// document as GET/PUT /api/policy and POST /api/policy/test.
import fs from 'node:fs';
import { PolicyDocument, PolicyTestBody, toErrorIssues, type PolicyTestResult } from '@countersign/shared';
import { AppError } from '../approvals/errors';
import type { Policies, PolicyInForce } from '../approvals/policies';
import { parseDuration } from '../config/duration';
import type { Workspaces } from '../workspaces/workspaces';

export interface PolicyCommandContext {
  workspaces: Workspaces;
  policies: Policies;
  options: { workspace?: string; file?: string; since?: string };
  out: (human: string, data: unknown) => void;
}

type PolicyCommand = (ctx: PolicyCommandContext) => Promise<void>;

export const POLICY_COMMANDS: Record<string, PolicyCommand> = {
  'policy show': async ({ workspaces, policies, options, out }) => {
    const workspace = await workspaces.byName(need(options.workspace, '--workspace'));
    const policy = await policies.current(workspace.id);
    out(describePolicy(workspace.name, policy), view(policy));
  },
  'policy set': async ({ workspaces, policies, options, out }) => {
    const workspace = await workspaces.byName(need(options.workspace, '--workspace'));
    const document = parsed(PolicyDocument, readJsonFile(need(options.file, '--file')));
    const policy = await policies.set(workspace.id, document, 'cli');
    out(`"${workspace.name}" now has policy version ${policy.version} (${policy.document.rules.length} rules).`, view(policy));
  },
  'policy test': async ({ workspaces, policies, options, out }) => {
    const workspace = await workspaces.byName(need(options.workspace, '--workspace'));
    const input = parsed(PolicyTestBody, { policy: readJsonFile(need(options.file, '--file')), ...(options.since ? { since: options.since } : {}) });
    const since = Date.now() - parseDuration(input.since ?? '30d')!;
    const result = await policies.test(workspace.id, input.policy, since);
    out(describeTest(result), result);
  },
};

function view(policy: PolicyInForce) {
  return { version: policy.version, updatedAt: policy.updatedAt === null ? null : new Date(policy.updatedAt).toISOString(), setBy: policy.setBy, rules: policy.document.rules };
}

function describePolicy(workspace: string, policy: PolicyInForce): string {
  if (policy.version === 0) return `"${workspace}" has no policy yet: every request needs one approval by anyone in the workspace.`;
  const head = `"${workspace}" policy version ${policy.version}, set ${new Date(policy.updatedAt!).toISOString()} by ${policy.setBy}:`;
  return [head, JSON.stringify({ rules: policy.document.rules }, null, 2)].join('\n');
}

/** The backtest as a table: outcomes, rule by rule, then the requests that would have ended otherwise. */
export function describeTest(result: PolicyTestResult): string {
  const rows: string[][] = [['rule', 'auto-approve', 'auto-reject', 'human']];
  for (const rule of result.byRule) rows.push([rule.ruleId ?? '(no rule matched)', String(rule.approve), String(rule.reject), String(rule.human)]);
  rows.push(['total', String(result.outcomes.approve), String(result.outcomes.reject), String(result.outcomes.human)]);
  const lines = [`${result.evaluated} requests since ${result.since}:`, '', ...table(rows), ''];
  if (result.changed.length === 0) lines.push('No request would have ended differently.');
  else {
    lines.push(`${result.changed.length}${result.changedTruncated ? '+' : ''} would have ended differently:`, '');
    lines.push(...table([['request', 'action', 'risk', 'actually', 'would be', 'rule'], ...result.changed.map((c) => [c.approvalId, c.action, c.riskLevel, c.actual, c.wouldBe, c.ruleId ?? '-'])]));
  }
  return lines.join('\n');
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AppError('bad_request', 'usage', `Cannot read ${file}.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('unprocessable', 'invalid_policy', `${file} is not JSON: ${(error as Error).message}`);
  }
}

function parsed<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Parameters<typeof toErrorIssues>[0] } } }, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toErrorIssues(result.error.issues).map((issue) => `  ${issue.path.join('.') || '(document)'}: ${issue.message}`);
  throw new AppError('unprocessable', 'invalid_policy', `The policy is invalid; nothing was changed:\n${issues.join('\n')}`);
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new AppError('bad_request', 'usage', `Missing ${what}.`);
  return value;
}
