/**
 * permlint lints its own repository clean with its own permlint.config.json: fixtures are test
 * data (ignored), test/ and bench/ are the test context, scripts/ development. A rule change that
 * makes permlint complain about its own repository shows up here.
 */
import { describe, expect, it } from 'vitest';
import { ROOT, runMain } from '../helpers.js';

describe('dogfooding', () => {
  it('`permlint .` in the repository exits 0 with no findings, reading its own config', async () => {
    const r = await runMain(['--format', 'json', '.'], ROOT);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { summary: { files: number }; findings: { rule: string; file: string; line: number }[] };
    expect(doc.findings.map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual([]);
    expect(r.code).toBe(0);
    // the config is what keeps it clean: without it, the fixtures' deliberate problems are reported
    const raw = await runMain(['--no-config', '--persona', 'auditor', '--format', 'json', '.'], ROOT);
    expect(raw.code).toBe(1);
    expect((JSON.parse(raw.stdout) as { findings: { file: string }[] }).findings.some((f) => f.file.startsWith('fixtures/'))).toBe(true);
  });
});
