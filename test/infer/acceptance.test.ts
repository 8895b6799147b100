/**
 * Acceptance (issue 14): no `under-grant` error on a program that runs without denial under its own
 * flags. Each fixtures/infer-programs/* program's own `deno task start` was run under Deno 2.9.6 with
 * no prompt (scripts/infer-truth.mjs, cached in fixtures/infer-oracle/broker-cache.json); permlint
 * lints the fixture folder as a project. A program the runtime denied must get an under-grant error.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { underGrant } from '../../rules/under-grant.js';
// @ts-expect-error: a plain .mjs helper shared with the refresh script
import { PROGRAMS, fixtureHash, fixtureNames, readCache } from '../../scripts/infer-truth.mjs';

interface Own {
  exit: number;
  denied: boolean;
}
const cache = readCache() as { deno: string; fixtures: Record<string, { hash: string; own?: Own; fix: { flags: string[]; denied: boolean } }> };
const names = fixtureNames() as string[];

/** The fixture's files in memory: linted as a project of its own (on disk it sits in the repository's fixtures/ folder). */
function project(dir: string, base = dir, out: Record<string, Uint8Array> = {}): Record<string, Uint8Array> {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) project(p, base, out);
    else out[relative(base, p).split('\\').join('/')] = readFileSync(p);
  }
  return out;
}

function own(name: string): Own | undefined {
  const e = cache.fixtures[name];
  if (!e || e.hash !== fixtureHash(name)) throw new Error(`${name}: the runtime answers are stale; run \`npm run build && node scripts/infer-truth.mjs\``);
  return e.own;
}

describe('under-grant against the runtime (own flags)', () => {
  it('reports no under-grant error on any program that ran without denial, and one on each program that was denied', async () => {
    const clean: string[] = [];
    const denied: string[] = [];
    const wrong: string[] = [];
    for (const n of names) {
      const o = own(n);
      if (!o) continue;
      const { findings } = await lint(memoryFs(project(resolve(PROGRAMS, n))), { rules: [underGrant] });
      const errors = findings.filter((f) => f.ruleId === 'under-grant' && f.level === 'error');
      if (o.denied) {
        denied.push(n);
        if (errors.length === 0) wrong.push(`${n}: denied at run time, no under-grant error`);
      } else {
        clean.push(n);
        for (const f of errors) wrong.push(`${n}: ran without denial, but ${f.span.file}:${f.span.line}:${f.span.column} ${f.message}`);
      }
    }
    console.log(`own flags: ${clean.length} programs ran without denial, ${denied.length} were denied; ${wrong.length} disagree with permlint`);
    expect(clean.length).toBeGreaterThanOrEqual(40);
    expect(denied).toContain('under-granted');
    expect(wrong).toEqual([]);
  });

  it('reports no under-grant error under the inferred flags, which ran every program without denial', async () => {
    const wrong: string[] = [];
    for (const n of names) {
      own(n);
      const { fix } = cache.fixtures[n]!;
      expect(fix.denied, n).toBe(false);
      const files = project(resolve(PROGRAMS, n));
      // the fixture's own config (import map, workspace) with its task's flags replaced
      const cfg = files['deno.json'] ? (JSON.parse(new TextDecoder().decode(files['deno.json'])) as Record<string, unknown>) : {};
      files['deno.json'] = new TextEncoder().encode(JSON.stringify({ ...cfg, tasks: { start: ['deno run', ...fix.flags, 'main.ts'].join(' ') } }));
      const { findings } = await lint(memoryFs(files), { rules: [underGrant] });
      for (const f of findings.filter((x) => x.ruleId === 'under-grant' && x.level === 'error')) wrong.push(`${n}: ${f.message}`);
    }
    expect(wrong).toEqual([]);
  });
});
