// The server's architecture as a test: folders of server/src import each other without cycles, and the
// domain core (approvals/) imports no framework, database driver, I/O module or adapter. dependency-cruiser reads the imports
// (it resolves TypeScript paths the way tsc does); the folder graph and its cycles are computed here.
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = 'server/src';
/** Folders that are one node each in the graph; deeper folders belong to their parent unless listed. */
const NESTED_NODES = ['integrations/zendesk', 'integrations/intercom', 'integrations/slack', 'store/sqlite', 'store/mongo', 'store/memory'];

function folderOf(file: string): string {
  const rel = file.slice(ROOT.length + 1);
  const nested = NESTED_NODES.find((node) => rel.startsWith(`${node}/`));
  if (nested) return nested;
  const slash = rel.indexOf('/');
  return slash === -1 ? '(root)' : rel.slice(0, slash);
}

async function moduleGraph() {
  const result = await cruise([ROOT], { baseDir: process.cwd(), tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' } }, undefined, { tsConfig: { fileName: 'tsconfig.json' } });
  if (typeof result.output === 'string') throw new Error('unexpected dependency-cruiser output');
  return result.output.modules.filter((m) => m.source.startsWith(`${ROOT}/`));
}

/** Tarjan's strongly connected components: every component with more than one folder is a cycle. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const meta = new Map<string, { index: number; low: number; onStack: boolean }>();
  const found: string[][] = [];
  const visit = (node: string) => {
    meta.set(node, { index, low: index, onStack: true });
    index++;
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!meta.has(next)) {
        visit(next);
        meta.get(node)!.low = Math.min(meta.get(node)!.low, meta.get(next)!.low);
      } else if (meta.get(next)!.onStack) meta.get(node)!.low = Math.min(meta.get(node)!.low, meta.get(next)!.index);
    }
    if (meta.get(node)!.low === meta.get(node)!.index) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        meta.get(member)!.onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!meta.has(node)) visit(node);
  return found;
}

/** The domain core: records, ports and rules, over nothing but the shared API schemas. */
const DOMAIN_CORE = `${ROOT}/approvals/`;
/** Frameworks, drivers and I/O the domain core must not reach for; its adapters do. */
const FORBIDDEN_IN_CORE = /^(express|router|better-sqlite3|mongoose|mongodb|pino|helmet|html-to-text|node:(http|https|net|dns|fs|child_process))$/;

describe('server architecture', () => {
  it('keeps the domain core free of express, database drivers, I/O and every adapter', async () => {
    const modules = await moduleGraph();
    const offending = modules
      .filter((m) => m.source.startsWith(DOMAIN_CORE))
      .flatMap((m) => m.dependencies.map((d) => ({ from: m.source, to: d.resolved, module: d.module })))
      .filter(({ to, module }) => FORBIDDEN_IN_CORE.test(module) || (to.startsWith(`${ROOT}/`) && !to.startsWith(DOMAIN_CORE)))
      .map(({ from, module }) => `${from} imports ${module}`);
    expect(offending).toEqual([]);
  });

  it('has no import cycles between folders of server/src', async () => {
    const modules = await moduleGraph();
    const edges = new Map<string, Set<string>>();
    const why = new Map<string, string>();
    for (const m of modules) {
      const from = folderOf(m.source);
      if (!edges.has(from)) edges.set(from, new Set());
      for (const d of m.dependencies) {
        if (!d.resolved.startsWith(`${ROOT}/`)) continue;
        const to = folderOf(d.resolved);
        if (to === from) continue;
        edges.get(from)!.add(to);
        why.set(`${from} -> ${to}`, `${m.source} imports ${d.resolved}`);
      }
    }
    const found = cycles(edges);
    const explained = found.map((c) => `${c.join(' ⇄ ')}:\n${[...why].filter(([k]) => c.some((a) => c.some((b) => k === `${a} -> ${b}`))).map(([, v]) => `    ${v}`).join('\n')}`);
    console.log(`[architecture] ${edges.size} folders, ${[...edges.values()].reduce((n, s) => n + s.size, 0)} folder edges, ${found.length} cycles`);
    expect(explained).toEqual([]);
  });
});
