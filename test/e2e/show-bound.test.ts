/**
 * A run whose persona can show no finding of over-grant or under-grant (low confidence: the
 * default `regular`) does not build section G's module graphs (src/lint.ts `selection`); what it
 * prints, its exit code, its baseline and its suppressions are those of the run that builds them.
 * The pedantic and auditor personas still build and show them. `inferAskedCount` counts the graphs
 * asked for in this process (src/infer/index.ts).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, runMain } from '../helpers.js';
import { lint } from '../../src/lint.js';
import { inferAskedCount } from '../../src/infer/index.js';
import { selectForPersona } from '../../src/persona.js';
import type { JsonFinding } from '../../src/report/json.js';

const DIR = join(FIXTURES, 'show-bound');
const at = (f: JsonFinding) => [f.rule, f.file, f.line, f.column, f.level];
const json = (out: string) => (JSON.parse(out) as { findings: JsonFinding[] }).findings;

/** The CLI's run and how many section G graphs it asked for. */
async function counted(args: string[], cwd = DIR) {
  const before = inferAskedCount();
  const r = await runMain(args, cwd);
  return { ...r, graphs: inferAskedCount() - before };
}

const SECTION_G = [
  ['over-grant', 'deno.json', 4, 60, 'warning'],
  ['over-grant', 'deno.json', 4, 66, 'warning'],
  ['over-grant', 'deno.json', 4, 103, 'warning'],
  ['under-grant', 'deno.json', 5, 24, 'error'],
  ['under-grant', 'deno.json', 5, 63, 'error'],
  ['over-grant', 'deno.json', 7, 22, 'warning'],
];

describe('section G left out when the persona cannot show it', () => {
  it('regular: the findings and exit code of before, and no graph built', async () => {
    const r = await counted(['--format', 'stylish', '.']);
    expect(r.graphs).toBe(0);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('6:22  warning');
    expect(r.stdout).not.toMatch(/over-grant|under-grant/);
    // --rule over-grant=error: still low confidence, still not shown; --fail-on warning fails on the warnings shown
    const err = await counted(['--rule', 'over-grant=error', '--rule', 'under-grant=error', '--min-confidence', 'low', '--fail-on', 'warning', '.']);
    expect([err.graphs, err.code]).toEqual([0, 1]);
    expect(err.stdout).not.toMatch(/over-grant|under-grant/);
  });

  it('regular json: only the graph of the shown allow-all finding, whose least-privilege fix is that of a full run', async () => {
    const r = await counted(['--format', 'json', '.']);
    expect(r.graphs).toBe(1);
    const regular = json(r.stdout);
    expect(regular.map(at)).toEqual([
      ['unfrozen-lockfile', 'deno.json', 6, 13, 'warning'],
      ['allow-all', 'deno.json', 6, 22, 'warning'],
    ]);
    const full = await counted(['--format', 'json', '--persona', 'auditor', '.']);
    expect(full.graphs).toBe(2);
    const allowAll = json(full.stdout).find((f) => f.rule === 'allow-all')!;
    expect(allowAll.fixes?.[0]?.description).toMatch(/^replace `-A` with/);
    expect(regular[1]!.fixes).toEqual(allowAll.fixes);
    // -q shows no warning: no fix to compute, no graph
    expect((await counted(['-q', '--format', 'json', '.'])).graphs).toBe(0);
  });

  it('regular json from the built CLI: the graphs of allow-all fixes start in the parser thread while the rules run, and the fix is that of a full run', () => {
    // (the built CLI runs section G in the parser thread; the in-process runs above run it here)
    const regular = json(runCli(['--format', 'json', '.'], DIR).stdout);
    const full = json(runCli(['--format', 'json', '--persona', 'auditor', '.'], DIR).stdout);
    const allowAll = full.find((f) => f.rule === 'allow-all')!;
    expect(allowAll.fixes?.[0]?.description).toMatch(/^replace `-A` with/);
    expect(regular.map(at)).toEqual([
      ['unfrozen-lockfile', 'deno.json', 6, 13, 'warning'],
      ['allow-all', 'deno.json', 6, 22, 'warning'],
    ]);
    expect(regular[1]!.fixes).toEqual(allowAll.fixes);
  });

  it('pedantic and auditor: the findings of section G at their line and column', async () => {
    for (const persona of ['pedantic', 'auditor']) {
      const r = await counted(['--persona', persona, '--format', 'json', '.']);
      expect(r.graphs).toBe(2);
      expect(r.code).toBe(1);
      expect(json(r.stdout).map(at).filter((f) => f[0] === 'over-grant' || f[0] === 'under-grant')).toEqual(SECTION_G);
    }
  });

  it('the library computes everything without `selection`; with it, inferLater gives the inferences of a full run', async () => {
    const full = await lint(['.'], { cwd: DIR });
    expect(full.inferLater).toBeUndefined();
    expect(full.findings.filter((f) => f.ruleId === 'over-grant' || f.ruleId === 'under-grant')).toHaveLength(SECTION_G.length);
    const left = await lint(['.'], { cwd: DIR, selection: { persona: 'regular' } });
    expect(left.model.inferences).toBeUndefined();
    // every other finding as in the full run
    expect(left.findings).toEqual(full.findings.filter((f) => f.ruleId !== 'over-grant' && f.ruleId !== 'under-grant'));
    expect(selectForPersona(left.findings)).toEqual(selectForPersona(full.findings));
    await left.inferLater!(() => true);
    expect(left.model.inferences).toEqual(full.model.inferences);
    // pedantic shows them: computed
    const pedantic = await lint(['.'], { cwd: DIR, selection: { persona: 'pedantic' } });
    expect(pedantic.inferLater).toBeUndefined();
    expect(pedantic.model.inferences).toEqual(full.model.inferences);
    // auditor with a minimum of high confidence cannot show them either
    const high = await lint(['.'], { cwd: DIR, selection: { persona: 'auditor', minConfidence: 'high' } });
    expect(high.model.inferences).toBeUndefined();
  });
});

describe('what reads the hidden findings is unchanged', () => {
  it('--write-baseline writes the findings of section G (as before), and --baseline with them reports none stale', async () => {
    const out = mkdtempSync(join(tmpdir(), 'permlint-show-bound-'));
    const file = join(out, 'baseline.json');
    const w = await counted(['--write-baseline', file, '.']);
    expect(w.graphs).toBe(2);
    const entries = (JSON.parse(readFileSync(file, 'utf8')) as { entries: { rule: string }[] }).entries;
    expect(entries.filter((e) => e.rule === 'over-grant' || e.rule === 'under-grant')).toHaveLength(SECTION_G.length);
    const auditorFile = join(out, 'auditor.json');
    await runMain(['--persona', 'auditor', '--write-baseline', auditorFile, '.'], DIR);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(auditorFile, 'utf8'));
    const b = await counted(['--baseline', file, '.']);
    expect(b.graphs).toBe(2);
    expect(b.stderr).not.toMatch(/no longer match/);
    expect(b.code).toBe(0);
    // a baseline with no entry of those rules: left out, and nothing stale
    writeFileSync(file, JSON.stringify({ version: 1, tool: 'permlint', entries: entries.filter((e) => e.rule !== 'over-grant' && e.rule !== 'under-grant') }));
    const c = await counted(['--baseline', file, '.']);
    expect(c.graphs).toBe(0);
    expect(c.stderr).not.toMatch(/no longer match/);
  });

  it('--fix-dry-run counts the fixes from every inference (the unsafe ones left for --fix=all), in any persona', async () => {
    const regular = await counted(['--fix-dry-run', '.']);
    const auditor = await counted(['--persona', 'auditor', '--fix-dry-run', '.']);
    expect(regular.graphs).toBe(2);
    expect(regular.stderr).toMatch(/; [1-9]\d* more with --fix=all/);
    expect(regular.stderr).toBe(auditor.stderr);
  });

  it('--report-unused-suppressions: a directive that hides a finding of section G is not reported unused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-show-bound-'));
    cpSync(DIR, dir, { recursive: true });
    const deno = join(dir, 'deno.json');
    writeFileSync(
      deno,
      readFileSync(deno, 'utf8')
        .replace('    "start"', '    // permlint-ignore over-grant -- wider on purpose\n    "start"')
        .replace('    "all"', '    // permlint-ignore under-grant -- nothing to hide here\n    "all"'),
    );
    for (const persona of ['regular', 'auditor']) {
      const r = await counted(['--persona', persona, '--report-unused-suppressions', '--format', 'json', '.'], dir);
      const unused = json(r.stdout).filter((f) => f.rule === 'unused-suppression');
      // only the directive over `all` (no under-grant there) hides nothing
      expect(unused.map(at)).toEqual([['unused-suppression', 'deno.json', 7, 5, 'warning']]);
    }
    // without the flag the directives hide the same findings, and regular builds nothing
    const plain = await counted(['--persona', 'pedantic', '--format', 'json', '.'], dir);
    expect(json(plain.stdout).filter((f) => f.rule === 'over-grant').map((f) => f.line)).toEqual([9]);
    expect((await counted(['.'], dir)).graphs).toBe(0);
  });
});
