// .github/workflows/ci.yml cannot run here (no GitHub runner, no Docker, no MongoDB), so its shape is
// checked instead: the two jobs, the Node version, the commands, and a replica set named the same in
// mongod's arguments, rs.initiate() and MONGODB_URI. A typo in any of them fails here, not on the
// users' first push.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const workflow = parse(readFileSync(path.join(ROOT, '.github/workflows/ci.yml'), 'utf8'));
const scripts = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

const stepsOf = (job: string): Step[] => workflow.jobs[job].steps;
const runs = (job: string) => stepsOf(job).flatMap((s) => (s.run ? s.run.split('\n').map((line) => line.trim()).filter(Boolean) : []));

describe('the users\' CI workflow', () => {
  it('runs on pushes and pull requests, with two jobs: test and mongo', () => {
    expect(Object.keys(workflow.on)).toEqual(['push', 'pull_request']);
    expect(Object.keys(workflow.jobs)).toEqual(['test', 'mongo']);
  });

  it.each(['test', 'mongo'])('%s: checks out, sets up Node 20 on ubuntu, and installs with npm ci', (job) => {
    expect(workflow.jobs[job]['runs-on']).toBe('ubuntu-latest');
    const steps = stepsOf(job);
    expect(steps[0]!.uses).toMatch(/^actions\/checkout@v\d+$/);
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(node?.with?.['node-version']).toBe(20);
    expect(runs(job)).toContain('npm ci');
    // npm 11, as the README asks, before npm ci uses it.
    expect(runs(job).indexOf('npm install -g npm@11')).toBeLessThan(runs(job).indexOf('npm ci'));
  });

  it('test: installs Chromium, then runs npm test (type-check, build, every suite)', () => {
    const commands = runs('test');
    expect(commands.some((c) => c.startsWith('test -x /usr/bin/chromium ||') && /sudo apt-get install -y chromium\b/.test(c))).toBe(true);
    expect(commands).toContain('/usr/bin/chromium --version');
    expect(commands.at(-1)).toBe('npm test');
    expect(scripts.test).toContain('vitest run');
  });

  it('mongo: starts mongo:7 as replica set rs0, initiates it, and runs npm run test:mongo against it', () => {
    const commands = runs('mongo');
    const start = commands.find((c) => c.startsWith('docker run'));
    expect(start).toMatch(/ mongo:7 --replSet rs0( |$)/);
    expect(start).toContain('--publish 27017:27017');
    const initiate = commands.find((c) => c.includes('rs.initiate('));
    expect(initiate).toContain('_id: "rs0"');
    expect(commands.findIndex((c) => c.includes('isWritablePrimary'))).toBeGreaterThan(commands.indexOf(initiate!));
    const test = stepsOf('mongo').at(-1)!;
    expect(test.run).toBe('npm run test:mongo');
    expect(test.env?.MONGODB_URI).toBe('mongodb://localhost:27017/?replicaSet=rs0&directConnection=true');
    // Both MongoDB suites: the store contract and the adapter's own.
    expect(scripts['test:mongo']).toBe('vitest run test/contract/mongo-store.test.ts test/contract/mongo-adapter.test.ts');
  });
});
