// Evidence: the tests of who may decide would notice if a check went missing. For each named check —
// eligibility (reviewer_not_eligible), quorum (approvalsRequired counting), distinct reviewers
// (already_approved), four eyes (self_approval), and an approval that changes the details discarding
// the earlier ones — a mutant of its source file has that one check removed, and the test files that
// cover it must FAIL against the mutant, in tests named for that check.
//
// How: each check's line in the source is marked with a comment `// mutation-check: <name>` on the
// line above. This suite finds the marker (exactly once), checks the line below still reads as the
// mutant expects (so a refactoring that moves the check breaks this suite loudly, instead of
// mutating nothing), writes the mutated copy of the file to a temp dir, and runs the covering test
// files in a child vitest process under test/proof/support/mutant.vitest.config.ts, whose Vite
// `load` hook answers the original file's path with the mutant. The child's JSON report says which
// tests failed. A control run of the same files under the same configuration, unmutated, must pass,
// so a failure is the mutant's doing and not the harness's. Each child run takes a few seconds.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const CONFIG = 'test/proof/support/mutant.vitest.config.ts';
const VITEST = path.join(ROOT, 'node_modules/vitest/vitest.mjs');
const ELIGIBILITY = 'server/src/approvals/eligibility.ts';
const DECISION_RULES = 'server/src/approvals/decision-rules.ts';
const ELIGIBILITY_TESTS = 'test/unit/eligibility.test.ts';
const DECISION_TESTS = 'test/unit/decision-rules.test.ts';

interface Mutant {
  check: string;
  file: string;
  /** Text of the marked line the mutant replaces, and what it puts there instead. */
  from: string;
  to: string;
  /** The test files covering the check. */
  tests: string[];
  /** Failing tests must include ones whose full name matches this: they fail because the check is gone. */
  failing: RegExp;
}

const MUTANTS: Mutant[] = [
  { check: 'eligibility', file: ELIGIBILITY, from: 'if (!reviewers || matchesAny(reviewers, who))', to: 'if (true)', tests: [ELIGIBILITY_TESTS, DECISION_TESTS], failing: /reviewer_not_eligible|by id|by email|by platform|any one match/ },
  { check: 'four-eyes', file: ELIGIBILITY, from: 'if (requestedBy && isRequester(requestedBy, who))', to: 'if (false)', tests: [ELIGIBILITY_TESTS, DECISION_TESTS], failing: /four eyes|self_approval/ },
  { check: 'quorum', file: DECISION_RULES, from: 'if (approvals.length >= required)', to: 'if (approvals.length >= 1)', tests: [DECISION_TESTS], failing: /quorum/ },
  { check: 'distinct-reviewers', file: DECISION_RULES, from: 'if (!changed && approval.approvals.some(', to: 'if (false && approval.approvals.some(', tests: [DECISION_TESTS], failing: /distinct reviewers|already_approved/ },
  { check: 'change-discards-approvals', file: DECISION_RULES, from: '[...(changed ? [] : approval.approvals),', to: '[...approval.approvals,', tests: [DECISION_TESTS], failing: /changes the details/ },
];

interface Report {
  passed: boolean;
  /** Full names of the tests that failed. */
  failed: string[];
  /** Test files that could not run at all (a syntax error in the mutant, say). */
  broken: string[];
  total: number;
}

/** The source with the line under `// mutation-check: <check>` changed from `from` to `to`. */
function mutate(source: string, mutant: Mutant): string {
  const lines = source.split('\n');
  const markers = lines.flatMap((line, i) => (line.trim() === `// mutation-check: ${mutant.check}` ? [i] : []));
  if (markers.length !== 1) throw new Error(`${mutant.file}: expected one "// mutation-check: ${mutant.check}" marker, found ${markers.length}`);
  const at = markers[0]! + 1;
  if (!lines[at]?.includes(mutant.from)) throw new Error(`${mutant.file}:${at + 1}: the marked line no longer contains "${mutant.from}": ${lines[at]}`);
  lines[at] = lines[at]!.replace(mutant.from, mutant.to);
  return lines.join('\n');
}

const temp = makeTempDir('mutants');

/** Runs test files in a child vitest, with `file` replaced by `mutantSource` when given. */
async function runTests(tests: string[], label: string, mutant?: { file: string; source: string }): Promise<Report> {
  const output = path.join(temp.dir, `${label}.json`);
  // A vitest of its own, not a worker of this one: none of this process's VITEST_* settings.
  const env: NodeJS.ProcessEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST'))), MUTANT_TARGET: '', MUTANT_SOURCE: '' };
  if (mutant) {
    const mutantPath = path.join(temp.dir, `${label}-${path.basename(mutant.file)}`);
    fs.writeFileSync(mutantPath, mutant.source);
    Object.assign(env, { MUTANT_TARGET: path.join(ROOT, mutant.file), MUTANT_SOURCE: mutantPath });
  }
  // A failing run exits non-zero: that is the answer, read from the report, not an error here.
  await run(process.execPath, [VITEST, 'run', '--config', CONFIG, `--outputFile=${output}`, ...tests], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }).catch((error: unknown) => error);
  if (!fs.existsSync(output)) throw new Error(`vitest wrote no report for ${label}`);
  const report = JSON.parse(fs.readFileSync(output, 'utf8')) as {
    success: boolean;
    numTotalTests: number;
    testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ fullName: string; status: string }> }>;
  };
  return {
    passed: report.success,
    total: report.numTotalTests,
    failed: report.testResults.flatMap((file) => file.assertionResults.filter((test) => test.status === 'failed').map((test) => test.fullName)),
    broken: report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).map((file) => `${path.relative(ROOT, file.name)}: ${file.message ?? ''}`),
  };
}

describe('mutation check: each check of who may decide is covered by tests that fail without it', () => {
  const summary: string[] = [];
  afterAll(() => {
    temp.remove();
    if (summary.length) console.log(`mutation check:\n${summary.join('\n')}`);
  });

  it('passes the covering tests on the source as it is, under the same harness', async () => {
    const tests = [...new Set(MUTANTS.flatMap((m) => m.tests))];
    const report = await runTests(tests, 'control');
    expect(report.broken).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.total).toBeGreaterThan(0);
    summary.push(`  control (no mutant): ${report.total} tests in ${tests.join(', ')} pass`);
  });

  it.each(MUTANTS.map((m) => [m.check, m] as const))('without the %s check, its tests fail', async (_check, mutant) => {
    const source = mutate(fs.readFileSync(path.join(ROOT, mutant.file), 'utf8'), mutant);
    const report = await runTests(mutant.tests, mutant.check, { file: mutant.file, source });
    // The mutant must load and run: a failure by syntax error would prove nothing.
    expect(report.broken).toEqual([]);
    expect(report.passed).toBe(false);
    const named = report.failed.filter((name) => mutant.failing.test(name));
    expect(named, `failed: ${JSON.stringify(report.failed, null, 1)}`).not.toEqual([]);
    summary.push(`  ${mutant.check}: "${mutant.from}" → "${mutant.to}" in ${mutant.file}: ${report.failed.length} of ${report.total} tests fail, e.g. "${named[0]}"`);
  });
});
