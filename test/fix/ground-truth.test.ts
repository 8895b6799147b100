/**
 * `--fix=all` against the real runtimes. Every inference fixture (fixtures/infer-programs/*) is
 * fixed twice in a scratch copy — its `start` task as written, and the same task with every kind
 * granted unscoped — and the command the fixed deno.json then holds is run under Deno 2.9.6 with
 * `--no-prompt`; the fixtures that are Node programs (`node-*` without `Deno`) are also run from a
 * package.json script under Node 24.22.3 after `--fix=all` narrowed `--permission
 * --allow-fs-read=* …`. Each run must end without a denial, and each kind the fixed command grants
 * must be one the runtime checked (Deno's permission broker: fixtures/infer-oracle; Node's
 * `--permission-audit`), unless the fix says why (a kind an opaque dependency or the Deno object
 * escaping may use is left as written; a value that cannot be folded makes the flag unscoped).
 *
 * The runtimes' answers are cached in fixtures/fix-oracle/answers.json, keyed by the runtime, its
 * version, the fixed argv and the fixture's content hash (test/fix/truth.ts).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { applyFixes, computeFixes } from '../../src/fix/index.js';
import { flagName, leastPrivilege, limited } from '../../src/infer/least.js';
import type { Inference, Invocation, PermKind } from '../../src/model.js';
import { runtimes } from '../differential/runtimes.js';
import { askDeno, askNode, auditNode, NODE_PERMISSION_KIND, TruthCache, type RunAnswer } from './truth.js';
// @ts-expect-error: a plain .mjs helper shared with the refresh script
import { NODE_PROGRAMS, PROGRAMS, fixtureHash, fixtureNames, nodeEntry, nodeFixtureNames, readCache } from '../../scripts/infer-truth.mjs';

const DENO = '2.9.6';
const NODE = '24.22.3';
const WIDE_DENO = 'deno run --allow-read --allow-write --allow-net --allow-env --allow-sys --allow-run --allow-ffi --allow-import main.ts';
const wideNode = (entry: string) => `node --permission --allow-fs-read=* --allow-fs-write=* --allow-child-process --allow-worker --allow-addons --allow-wasi ${entry}`;

const names = fixtureNames() as string[];
const broker = readCache() as { deno: string; fixtures: Record<string, { hash: string; checks: { permission: string }[] }> };
const cache = new TruthCache();
afterAll(() => cache.save());

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)).map((f) => `${n}/${f}`) : [n]));
}
/** Node programs: `node-*` fixtures whose modules never name `Deno`. */
const isNodeProgram = (name: string) => name.startsWith('node-') && files(resolve(PROGRAMS, name)).every((f) => !/\.(ts|js|mjs)$/.test(f) || !readFileSync(resolve(PROGRAMS, name, f), 'utf8').includes('Deno'));

interface Fixed {
  dir: string;
  inv: Invocation;
  inf: Inference;
  /** Descriptions of the unsafe fixes applied to the invocation. */
  said: string[];
  passes: number;
}

/** `--fix=all` until nothing changes (in-process), then the fixed invocation and its inference. */
async function fixAll(name: string, edit: (dir: string) => void, subject: string, base: string = PROGRAMS): Promise<Fixed> {
  const dir = mkdtempSync(join(tmpdir(), `permlint-fixtruth-${name}-`));
  scratch.push(dir);
  cpSync(resolve(base, name), dir, { recursive: true });
  edit(dir);
  const said: string[] = [];
  let passes = 0;
  for (;;) {
    const res = await lint(['.'], { cwd: dir });
    const texts = res.files;
    const fixes = computeFixes(res.model, texts, true);
    const { changed, applied } = applyFixes(fixes, texts);
    if (!changed.size) {
      const inv = res.model.invocations.find((i) => i.id === subject);
      const inf = res.model.inferences?.find((i) => i.subjectId === subject);
      if (!inv || !inf) throw new Error(`${name}: ${subject} is not read or not inferred after the fix`);
      return { dir, inv, inf, said, passes };
    }
    for (const f of applied) if (f.safety === 'unsafe' && f.subjectIds?.includes(subject)) said.push(f.description);
    for (const [file, text] of changed) writeFileSync(join(dir, file), text);
    if (++passes > 3) throw new Error(`${name}: --fix=all still changes files after 3 runs`);
  }
}

function setTask(dir: string, command: string): void {
  const p = join(dir, 'deno.json');
  const json = JSON.parse(readFileSync(p, 'utf8')) as { tasks?: Record<string, string> };
  json.tasks = { ...json.tasks, start: command };
  writeFileSync(p, `${JSON.stringify(json, null, 2)}\n`);
}

/** Kinds the fixed command grants that the runtime never checked, each with the reason the fix gave (or none). */
function unobserved(f: Fixed, observed: Set<string>, runtime: 'deno' | 'node'): { kind: PermKind; why?: string }[] {
  const granted = new Set(f.inv.permissions.filter((g) => g.mode === 'allow' && g.via === 'flag').map((g) => g.kind));
  const lp = leastPrivilege(f.inf, runtime);
  return [...granted]
    .filter((k) => !observed.has(k))
    .map((kind) => {
      const why = limited(f.inf, kind)?.reason ?? lp.grants.find((g) => g.kind === kind)?.why;
      // the fix says so (when there was a fix; a task already as narrow as it gets has none)
      const told = !f.said.length || f.said.some((d) => why !== undefined && d.includes(why) && d.includes(flagName(kind, runtime)));
      return told && why ? { kind, why } : { kind };
    });
}

const argvOf = (inv: Invocation) => inv.argv.map((t) => {
  if (t.dynamic) throw new Error(`${inv.id}: a dynamic word after the fix: ${t.value}`);
  return t.value;
});

const stats = { runs: 0, explained: [] as string[], rewritten: [] as string[] };

describe('--fix=all results under the real runtimes', () => {
  it('covers every inference fixture, 40 or more', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
    for (const n of names) if (broker.fixtures[n]?.hash !== fixtureHash(n)) throw new Error(`${n}: fixtures/infer-oracle is stale; run \`npm run build && node scripts/infer-truth.mjs\``);
  });

  it('sees a denial where there is one (the harness can fail)', async () => {
    const deno = await fixAll('read-literal', (dir) => setTask(dir, 'deno run --allow-read main.ts'), 'deno.json#task:start');
    const none = ['run', 'main.ts'];
    const a = await cache.get(TruthCache.key('deno', DENO, none, fixtureHash('read-literal')), async () => ({ fixture: 'read-literal', ...(await askDeno((await runtimes()).denoBinary(), none, deno.dir)) }));
    expect(a.denied).toBe(true);
    const node = await fixAll('node-fs', () => undefined, 'deno.json#task:start');
    const bare = ['--permission', 'main.ts'];
    const b = await cache.get(TruthCache.key('node', NODE, bare, fixtureHash('node-fs')), async () => ({ fixture: 'node-fs', ...(await askNode((await runtimes()).nodeBinary(NODE), bare, node.dir)) }));
    expect(b.denied).toBe(true);
  });

  for (const variant of ['as written', 'widened', '-A'] as const) {
    it(`Deno ${DENO} runs every fixture's --fix=all task (${variant}) with --no-prompt and no denial, granting only checked kinds or saying why`, async () => {
      const failures: string[] = [];
      let rewritten = 0;
      for (const name of names) {
        const f = await fixAll(name, (dir) => (variant === 'widened' ? setTask(dir, WIDE_DENO) : variant === '-A' ? setTask(dir, 'deno run -A main.ts') : undefined), 'deno.json#task:start');
        if (f.said.length) rewritten++;
        // -A stays only where the inference is unsure of some kind
        if (variant === '-A' && f.inv.flags.some((x) => x.name === '--allow-all') && f.inf.limits.length === 0) failures.push(`${name}: -A left though the inference has no limit`);
        const argv = argvOf(f.inv);
        const answer: RunAnswer = await cache.get(TruthCache.key('deno', DENO, argv, fixtureHash(name)), async () => ({ fixture: name, ...(await askDeno((await runtimes()).denoBinary(), argv, f.dir)) }));
        stats.runs++;
        if (answer.exit !== 0 || answer.denied) failures.push(`${name}: deno ${argv.join(' ')} → exit ${answer.exit}${answer.denied ? ' DENIED' : ''}: ${answer.stderr}`);
        const observed = new Set(broker.fixtures[name]!.checks.map((c) => c.permission));
        for (const u of unobserved(f, observed, 'deno')) {
          if (u.why) stats.explained.push(`${name} (${variant}): ${u.kind}: ${u.why}`);
          else failures.push(`${name} (${variant}): grants ${u.kind}, which Deno never checked, and the fix does not say why (${argv.join(' ')})`);
        }
      }
      expect(failures).toEqual([]);
      stats.rewritten.push(`${variant}: ${rewritten} of ${names.length} rewritten`);
      if (variant !== 'as written') expect(rewritten).toBeGreaterThanOrEqual(names.length - 5);
    });
  }

  it(`Node ${NODE} runs every Node fixture's --fix=all script with no denial, granting only checked kinds`, async () => {
    // the Node programs among the Deno fixtures, and the Node fixtures (fixtures/infer-node) when there are some
    const node: { name: string; base: string; entry: string }[] = [
      ...names.filter(isNodeProgram).map((name) => ({ name, base: PROGRAMS as string, entry: 'main.ts' })),
      ...(nodeFixtureNames() as string[]).map((name) => ({ name, base: NODE_PROGRAMS as string, entry: nodeEntry(name) as string })),
    ];
    expect(node.length).toBeGreaterThanOrEqual(8);
    const failures: string[] = [];
    for (const { name, base, entry } of node) {
      const f = await fixAll(
        name,
        (dir) => {
          // the fixture's own package.json (type, imports, dependencies) with the start script and the Node pin
          const p = join(dir, 'package.json');
          const own = existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>) : { name };
          writeFileSync(p, `${JSON.stringify({ ...own, engines: { node: NODE }, scripts: { start: wideNode(entry) } }, null, 2)}\n`);
        },
        'package.json#script:start',
        base,
      );
      const argv = argvOf(f.inv);
      const hash = fixtureHash(name, base);
      const exe = async () => (await runtimes()).nodeBinary(NODE);
      const answer = await cache.get(TruthCache.key('node', NODE, argv, hash), async () => ({ fixture: name, ...(await askNode(await exe(), argv, f.dir)) }));
      const audit = await cache.get(TruthCache.key('node-audit', NODE, [entry], hash), async () => ({ fixture: name, ...(await auditNode(await exe(), entry, f.dir)) }));
      stats.runs += 2;
      if (answer.exit !== 0 || answer.denied) failures.push(`${name}: node ${argv.join(' ')} → exit ${answer.exit}${answer.denied ? ' DENIED' : ''}: ${answer.stderr}`);
      if (audit.exit !== 0) failures.push(`${name}: the audit run failed: ${audit.stderr}`);
      const observed = new Set((audit.checks ?? []).map((c) => NODE_PERMISSION_KIND[c.permission] ?? c.permission));
      // Node reads every module it loads: the inferred reads of the modules are checks too
      for (const u of unobserved(f, observed, 'node')) {
        if (u.why) stats.explained.push(`${name} (node): ${u.kind}: ${u.why}`);
        else if (u.kind === 'read' && f.inf.needs.filter((n) => n.kind === 'read').every((n) => n.implicit)) stats.explained.push(`${name} (node): read: only the modules it loads (${f.inf.needs.find((n) => n.kind === 'read')!.implicit})`);
        else failures.push(`${name} (node): grants ${u.kind}, which Node never checked, and the fix does not say why (${argv.join(' ')})`);
      }
    }
    expect(failures).toEqual([]);
    if (process.env.PERMLINT_TRUTH_STATS) console.log(`runtime answers: ${stats.runs} (${cache.asked} asked now); ${stats.rewritten.join('; ')}; kinds granted without a check, explained:\n${stats.explained.join('\n')}`);
  });
});
