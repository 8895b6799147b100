/**
 * Inference against the real runtime: each fixtures/infer-programs/* program was run under Deno 2.9.6 with
 * the permission broker (scripts/infer-truth.mjs), which saw every permission check it made.
 * - every kind the runtime checked is inferred (recall on kinds: 100 %);
 * - of the checked values for which permlint folded a value of that kind, ≥ 95 % are exact;
 * - the least-privilege flags permlint infers run the program with --no-prompt and no denial.
 * The runtime's answers come from fixtures/infer-oracle/broker-cache.json (keyed by the fixture's
 * content hash and the Deno version); a stale entry fails with the command that refreshes it.
 */
import { posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferEntrypoint } from '../../src/infer/index.js';
import { inferFs } from '../../src/infer/fs.js';
import { leastPrivilege, toFlags } from '../../src/infer/least.js';
import { nodeFs } from '../../src/fs.js';
// @ts-expect-error: a plain .mjs helper shared with the refresh script
import { NODE_PROGRAMS, PROGRAMS, fixtureHash, fixtureNames, nodeEntry, nodeFixtureNames, readCache } from '../../scripts/infer-truth.mjs';

interface Check {
  permission: string;
  value: string | null;
}
interface Entry {
  hash: string;
  exit: number;
  checks: Check[];
  /** DENO_AUDIT_PERMISSIONS + DENO_TRACE_PERMISSIONS: each check with the fixture's frames of its stack (`a.ts:3:7`). */
  audit: (Check & { sites: string[] })[];
  fix: { flags: string[]; exit: number; denied: boolean };
}

interface NodeEntry {
  hash: string;
  exit: number;
  checks: { scope: string; permission: string; value: string | null; sites: string[] }[];
  fix: { flags: string[]; exit: number; denied: boolean };
}
const cache = readCache() as { deno: string; fixtures: Record<string, Entry>; node: string; nodeFixtures: Record<string, NodeEntry> };
const names = fixtureNames() as string[];
const REFRESH = 'run `npm run build && node scripts/infer-truth.mjs` (needs the Deno binary: node scripts/runtimes.mjs deno)';

function entry(name: string): Entry {
  const e = cache.fixtures[name];
  if (!e || e.hash !== fixtureHash(name) || cache.deno !== '2.9.6') throw new Error(`${name}: the runtime answers are stale; ${REFRESH}`);
  return e;
}

async function infer(name: string) {
  const inf = await inferEntrypoint('main.ts', inferFs(nodeFs, resolve(PROGRAMS, name)));
  if (!inf) throw new Error(`${name}: no inference`);
  return inf;
}

const norm = (kind: string, v: string) => (kind === 'read' || kind === 'write' ? posix.normalize(v).replace(/^\.\//, '') : v);

describe('inference against Deno 2.9.6 (permission broker)', () => {
  it('has at least 40 fixture programs, each of which ran to the end', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
    for (const n of names) expect(`${n}: exit ${entry(n).exit}`).toBe(`${n}: exit 0`);
  });

  it('infers every kind the runtime checked (100 % recall on kinds)', async () => {
    const missed: string[] = [];
    let total = 0;
    for (const n of names) {
      const kinds = new Set((await infer(n)).needs.map((x) => x.kind as string));
      const e = entry(n);
      for (const c of [...e.checks, ...e.audit]) if (!kinds.has(c.permission)) missed.push(`${n}: ${c.permission}:${c.value}`);
      total += new Set([...e.checks, ...e.audit].map((c) => c.permission)).size;
    }
    console.log(`recall on kinds (Deno 2.9.6, broker + audit log): ${total - missed.length}/${total} fixture kinds`);
    expect(missed).toEqual([]);
  });

  it('folds values exactly: ≥ 95 % of the checked values whose kind it folded', async () => {
    let exact = 0;
    const wrong: string[] = [];
    for (const n of names) {
      const inf = await infer(n);
      for (const c of entry(n).checks) {
        if (c.value === null) continue;
        const same = inf.needs.filter((x) => x.kind === c.permission);
        const folded = same.filter((x) => x.value !== undefined && !x.unscoped);
        if (folded.length === 0) continue; // not folded: reported as "cannot narrow", not a wrong value
        if (folded.some((x) => norm(c.permission, x.value!) === norm(c.permission, c.value!))) exact++;
        else if (same.some((x) => x.value === undefined || x.unscoped)) continue;
        else wrong.push(`${n}: runtime ${c.permission}:${c.value}, inferred ${folded.map((x) => x.value).join(', ')}`);
      }
    }
    console.log(`folded values (Deno 2.9.6): ${exact}/${exact + wrong.length} exact (${((100 * exact) / (exact + wrong.length)).toFixed(1)} %) over ${names.length} programs${wrong.length ? `\n${wrong.join('\n')}` : ''}`);
    expect(exact).toBeGreaterThanOrEqual(40);
    expect(exact / (exact + wrong.length), wrong.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('places each need at a call site the audit log traced (DENO_TRACE_PERMISSIONS)', async () => {
    let traced = 0;
    const missed: string[] = [];
    for (const n of names) {
      const inf = await infer(n);
      for (const a of entry(n).audit) {
        if (a.sites.length === 0) continue; // a check no frame of the fixture made (module loading)
        traced++;
        const lines = new Set(a.sites.map((x) => x.replace(/:\d+$/, '')));
        if (!inf.needs.some((x) => x.kind === a.permission && lines.has(`${x.span.file}:${x.span.line}`))) missed.push(`${n}: ${a.permission}:${a.value} at ${a.sites.join(' < ')}`);
      }
    }
    console.log(`call sites (Deno 2.9.6 audit log): ${traced - missed.length}/${traced} checks at a line permlint reports${missed.length ? `\n${missed.join('\n')}` : ''}`);
    expect(traced).toBeGreaterThanOrEqual(40);
    expect((traced - missed.length) / traced, missed.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('runs every program under its inferred least-privilege flags with --no-prompt and no denial', async () => {
    for (const n of names) {
      const flags = toFlags(leastPrivilege(await infer(n), 'deno'), 'deno');
      const e = entry(n);
      if (JSON.stringify(e.fix.flags) !== JSON.stringify(flags)) throw new Error(`${n}: inferred flags changed (${flags.join(' ')}); ${REFRESH}`);
      expect(`${n}: exit ${e.fix.exit}${e.fix.denied ? ' denied' : ''}`).toBe(`${n}: exit 0`);
    }
  });
});

const NODE_KIND: Record<string, string> = { FileSystemRead: 'read', FileSystemWrite: 'write', ChildProcess: 'run', WorkerThreads: 'worker', WASI: 'wasi', Addon: 'ffi' };
const nodeNames = nodeFixtureNames() as string[];

function nodeFixture(name: string): NodeEntry {
  const e = cache.nodeFixtures?.[name];
  if (!e || e.hash !== fixtureHash(name, NODE_PROGRAMS) || !/^24\./.test(cache.node)) throw new Error(`${name}: the Node answers are stale; ${REFRESH.replace('infer-truth.mjs', 'infer-truth.mjs node')}`);
  return e;
}

async function inferNode(name: string) {
  const inf = await inferEntrypoint(nodeEntry(name) as string, inferFs(nodeFs, resolve(NODE_PROGRAMS, name)), 'node');
  if (!inf) throw new Error(`${name}: no inference`);
  return inf;
}

describe('inference against Node 24 (--permission-audit)', () => {
  it('has Node fixture programs, each of which ran to the end', () => {
    expect(nodeNames.length).toBeGreaterThanOrEqual(10);
    for (const n of nodeNames) expect(`${n}: exit ${nodeFixture(n).exit}`).toBe(`${n}: exit 0`);
  });

  it('infers every kind Node checked (100 % recall on kinds) and folds the checked paths exactly', async () => {
    const missed: string[] = [];
    const wrong: string[] = [];
    let kinds = 0;
    let exact = 0;
    let inPackage = 0;
    for (const n of nodeNames) {
      const inf = await inferNode(n);
      const e = nodeFixture(n);
      const have = new Set(inf.needs.map((x) => x.kind as string));
      const seen = new Set(e.checks.map((c) => NODE_KIND[c.permission] ?? c.permission));
      kinds += seen.size;
      for (const k of seen) if (!have.has(k)) missed.push(`${n}: ${k}`);
      for (const c of e.checks) {
        const kind = NODE_KIND[c.permission];
        if ((kind !== 'read' && kind !== 'write') || !c.value) continue;
        const folded = inf.needs.filter((x) => x.kind === kind && x.value !== undefined);
        if (folded.some((x) => norm(kind, x.value!) === norm(kind, c.value!))) exact++;
        // a dependency's files: permlint grants its node_modules folder, on purpose
        else if (folded.some((x) => x.api === 'module loading' && norm(kind, c.value!).startsWith(`${norm(kind, x.value!)}/`))) inPackage++;
        else if (!inf.needs.some((x) => x.kind === kind && x.value === undefined)) wrong.push(`${n}: Node ${kind}:${c.value}, inferred ${folded.map((x) => x.value).join(', ')}`);
      }
    }
    console.log(`Node ${cache.node}: recall on kinds ${kinds - missed.length}/${kinds}; fs values ${exact}/${exact + wrong.length} exact (${inPackage} more inside a node_modules package folder permlint grants) over ${nodeNames.length} programs${wrong.length ? `\n${wrong.join('\n')}` : ''}`);
    expect(missed).toEqual([]);
    expect(exact / (exact + wrong.length), wrong.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('runs every Node program under --permission and its inferred flags with no denial', async () => {
    for (const n of nodeNames) {
      const flags = toFlags(leastPrivilege(await inferNode(n), 'node'), 'node');
      const e = nodeFixture(n);
      if (JSON.stringify(e.fix.flags) !== JSON.stringify(flags)) throw new Error(`${n}: inferred flags changed (${flags.join(' ')}); ${REFRESH}`);
      expect(`${n}: exit ${e.fix.exit}${e.fix.denied ? ' denied' : ''}`).toBe(`${n}: exit 0`);
    }
  });
});
