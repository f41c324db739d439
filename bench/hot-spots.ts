// Where a server's CPU time goes, from a V8 .cpuprofile (node --cpu-prof; `npm run bench` writes one
// for the Countersign child when BENCH_CPU_PROFILE_DIR is set):
//   npx tsx bench/hot-spots.ts <file.cpuprofile> [rows] [skipSeconds]
// skipSeconds leaves out the start of the profile (module loading, start-up). Prints self time by
// function, self time by package or source file, and the inclusive time of the functions that
// matter most, each as a share of the profile's busy (non-idle) time.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './processes';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const IDLE = new Set(['(idle)']);

export function hotSpots(profile: CpuProfile, rows: number, skipSeconds = 0): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);

  // Self time per node, from the sample deltas (µs).
  const self = new Map<number, number>();
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    elapsedUs += delta;
    if (elapsedUs >= skipSeconds * 1e6) self.set(id, (self.get(id) ?? 0) + delta);
  });

  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    total += us;
    if (IDLE.has(byId.get(id)!.callFrame.functionName)) idle += us;
  }
  const busy = total - idle;

  const selfByFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    if (IDLE.has(node.callFrame.functionName)) continue;
    add(selfByFunction, describe(node), us);
    add(selfByOwner, owner(node.callFrame.url, node.callFrame.functionName), us);
    // Inclusive: credit every distinct function on the stack once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = describe(byId.get(cur)!);
      if (seen.has(key)) continue;
      seen.add(key);
      add(inclusive, key, us);
    }
  }

  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  const lines: string[] = [];
  lines.push(`profile: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)} %), percentages are of busy time`);
  lines.push('', 'self time by package / source file:');
  for (const [name, us] of top(selfByOwner, rows)) lines.push(`  ${pct(us)}  ${name}`);
  lines.push('', 'self time by function:');
  for (const [name, us] of top(selfByFunction, rows)) lines.push(`  ${pct(us)}  ${name}`);
  lines.push('', 'inclusive time by function (repository code and named libraries):');
  for (const [name, us] of top(new Map([...inclusive].filter(([k]) => !k.startsWith('(') && !k.includes('node:internal'))), rows * 2)) lines.push(`  ${pct(us)}  ${name}`);
  return lines;
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

function describe(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  return `${name}  ${shortUrl(url)}:${lineNumber + 1}`;
}

function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const file = shortUrl(url);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return `npm: ${pkg[1]}`;
  if (file.startsWith('node:')) return file.split('/').slice(0, 2).join('/');
  return file;
}

function shortUrl(url: string): string {
  const plain = url.replace(/^file:\/\//, '').replace(/\?.*$/, '');
  return plain.startsWith(REPO_ROOT) ? path.relative(REPO_ROOT, plain) : plain;
}

const [file, rows = '25', skip = '0'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: npx tsx bench/hot-spots.ts <file.cpuprofile> [rows] [skipSeconds]\n');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
process.stdout.write(`${hotSpots(profile, Number(rows), Number(skip)).join('\n')}\n`);
