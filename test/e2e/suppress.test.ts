import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, runMain } from '../helpers.js';
import type { JsonFinding } from '../../src/report/json.js';

const DIR = join(FIXTURES, 'suppress-inline');
const lint = async (args: string[], cwd = DIR) => {
  const r = await runMain(['--format', 'json', '--persona', 'auditor', ...args, '.'], cwd);
  expect(r.stderr).toBe('');
  return { code: r.code, findings: (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings };
};
const at = (fs: JsonFinding[], rule: string, file: string) => fs.filter((f) => f.rule === rule && f.file === file).map((f) => f.line);
/** Lines of `file` a rule's findings point at, directly or as related locations (findings grouped by cause). */
const relatedAt = (fs: JsonFinding[], rule: string, file: string) =>
  fs
    .filter((f) => f.rule === rule)
    .flatMap((f) => [{ file: f.file, line: f.line }, ...(f.related ?? [])])
    .filter((r) => r.file === file)
    .map((r) => r.line)
    .sort((a, b) => a - b);

const all = (await lint(['--no-inline-config'])).findings;
const withDirectives = (await lint([])).findings;

describe('inline suppressions (permlint-ignore)', () => {

  it('--no-inline-config reports every finding and no directive problems', async () => {
    expect(at(all, 'allow-all', 'scripts/dev.sh')).toEqual([4, 5, 8, 11]);
    expect(all.some((f) => f.rule.endsWith('-suppression'))).toBe(false);
  });

  it('a `#` directive with a reason on the line before hides exactly its finding', async () => {
    expect(at(withDirectives, 'allow-all', 'scripts/dev.sh')).toEqual([5, 8, 11]);
    // every other finding is untouched
    const key = (f: JsonFinding) => `${f.rule} ${f.file}:${f.line}:${f.column}`;
    const hidden = all.map(key).filter((k) => !withDirectives.map(key).includes(k));
    expect(hidden.sort()).toEqual(
      ['allow-all .github/workflows/ci.yml:9:20', 'allow-all deno.jsonc:5:22', 'allow-all deno.jsonc:6:24', 'allow-all k8s/deploy.yaml:13:37', 'allow-all scripts/dev.sh:4:10'].sort(),
    );
  });

  it('a directive without a reason is not applied and is reported as invalid-suppression', async () => {
    expect(at(withDirectives, 'unscoped-grant', 'scripts/dev.sh')).toEqual([6]);
    const inv = withDirectives.filter((f) => f.rule === 'invalid-suppression');
    expect(inv.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['scripts/dev.sh:6:37', 'scripts/dev.sh:7:1']);
    expect(inv[0]!.message).toContain('no reason');
    expect(inv[0]!.message).toContain('# permlint-ignore unscoped-grant -- ');
    expect(inv[1]!.message).toContain('did you mean `allow-all`');
  });

  it('`//` directives in deno.jsonc (line before and same line); text inside a string is not a directive', async () => {
    expect(at(withDirectives, 'allow-all', 'deno.jsonc')).toEqual([7]);
    expect(at(withDirectives, 'allow-all', 'scripts/dev.sh')).toContain(11);
  });

  it('a directive inside a workflow `run:` block applies to the next script line only', async () => {
    expect(at(withDirectives, 'allow-all', '.github/workflows/ci.yml')).toEqual([10]);
    // both unfrozen runs share one cause (the workspace root), reported once there
    expect(relatedAt(withDirectives, 'unfrozen-lockfile', '.github/workflows/ci.yml')).toEqual([9, 10]);
  });

  it('the permlint.dev/ignore annotation hides the named rule inside its own object only', async () => {
    expect(at(withDirectives, 'allow-all', 'k8s/deploy.yaml')).toEqual([25]);
    expect(relatedAt(withDirectives, 'unfrozen-lockfile', 'k8s/deploy.yaml')).toEqual([13, 25]);
  });

  it('--report-unused-suppressions reports a directive that hides nothing', async () => {
    expect(withDirectives.some((f) => f.rule === 'unused-suppression')).toBe(false);
    const r = (await lint(['--report-unused-suppressions'])).findings.filter((f) => f.rule === 'unused-suppression');
    expect(r.map((f) => `${f.file}:${f.line}`)).toEqual(['scripts/dev.sh:9']);
    expect(r[0]!.message).toContain('`ffi-grant`');
  });

  it('suppressed findings are left out of SARIF too', async () => {
    const r = await runMain(['--format', 'sarif', '--persona', 'auditor', '.'], DIR);
    const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const results = log.runs[0]!.results.map((x) => `${x.ruleId} ${x.locations[0]!.physicalLocation.artifactLocation.uri}:${x.locations[0]!.physicalLocation.region.startLine}`);
    // SARIF locations are relative to the repository (this fixture's folder inside permlint's own)
    expect(results).not.toContain('allow-all fixtures/suppress-inline/scripts/dev.sh:4');
    expect(results).toContain('allow-all fixtures/suppress-inline/scripts/dev.sh:5');
    expect(results).toContain('invalid-suppression fixtures/suppress-inline/scripts/dev.sh:6');
  });

  it('the rule level of invalid-suppression follows the config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-sup-'));
    cpSync(DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'permlint.config.json'), JSON.stringify({ rules: { 'invalid-suppression': 'error' } }));
    const f = (await lint([], dir)).findings.filter((x) => x.rule === 'invalid-suppression');
    expect(f.map((x) => x.level)).toEqual(['error', 'error']);
  });
});
