import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, runMain } from '../helpers.js';
import type { JsonFinding } from '../../src/report/json.js';

const lint = async (cwd: string, args: string[] = []) => {
  const r = await runMain(['--format', 'json', '--fail-on', 'never', '--persona', 'auditor', ...args, '.'], cwd);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.level}`);
};

describe('config file', () => {
  const dir = join(FIXTURES, 'config-levels');

  it('without the config: catalogue levels, every file', async () => {
    expect(await lint(dir, ['--no-config'])).toEqual([
      'allow-all deploy/start.sh:2 warning',
      'allow-all generated/gen.sh:2 warning',
      'allow-all scripts/dev.sh:2 warning',
      'unscoped-grant scripts/dev.sh:3 note',
      'deprecated-flag scripts/dev.sh:4 warning',
      'subprocess-escalation scripts/dev.sh:5 warning',
      'allow-all tools/fmt.sh:2 warning',
      'allow-all tools/legacy/old.sh:2 warning',
    ]);
  });

  it('levels, levels per context, off, ignore, contexts, trusted programs and overrides', async () => {
    expect(await lint(dir)).toEqual([
      // contexts: deploy/** is deployment, so the configured level (warning) is not lowered;
      // unfrozen-lockfile is off
      'allow-all deploy/start.sh:2 warning',
      // development lowers the configured level one step
      'allow-all scripts/dev.sh:2 note',
      // a level for the development context is exact
      'unscoped-grant scripts/dev.sh:3 error',
      // a mistake rule takes the configured level as is
      'deprecated-flag scripts/dev.sh:4 error',
      // trusted.programs: bash is allowed; generated/ is ignored; tools/** turns allow-all off,
      // and the later override turns it back on in tools/legacy/
      'allow-all tools/legacy/old.sh:2 error',
    ]);
  });

  it('--rule on the command line wins over the config and its overrides', async () => {
    expect(await lint(dir, ['--rule', 'allow-all=off', '--rule', 'unscoped-grant=off'])).toEqual(['deprecated-flag scripts/dev.sh:4 error']);
  });

  it('--config picks a file anywhere; YAML configs work like JSON', async () => {
    const yamlDir = join(FIXTURES, 'config-yaml');
    expect(await lint(yamlDir)).toEqual(['allow-all scripts/dev.sh:2 note', 'unscoped-grant scripts/dev.sh:3 warning']);
    const elsewhere = mkdtempSync(join(tmpdir(), 'permlint-cfg-'));
    writeFileSync(join(elsewhere, 'strict.json'), JSON.stringify({ rules: { 'allow-all': 'off' } }));
    // the YAML file at the root is not read when --config names another one
    expect(await lint(yamlDir, ['--config', join(elsewhere, 'strict.json')])).toEqual(['unscoped-grant scripts/dev.sh:3 warning']);
  });

  it('an invalid config exits 2 and names the path of every bad key', async () => {
    const r = await runMain(['.'], join(FIXTURES, 'config-invalid'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('invalid config permlint.config.json');
    expect(r.stderr).toContain('rules.allow-all: expected one of "off", "note", "warning", "error"');
    expect(r.stderr).toContain('overrides[0].rules.unscoped-grant: takes at most 2 items');
    expect(r.stderr).toContain('trusted.hosts: expected an array, not a string');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('unknown rule ids are an error with a did-you-mean (exit 2)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'permlint-cfg-'));
    writeFileSync(join(d, '.permlintrc.json'), JSON.stringify({ rules: { 'alow-all': 'off' } }));
    const r = await runMain(['.'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rules.alow-all: unknown rule; did you mean `allow-all`?');
  });

  it('malformed JSON and YAML exit 2 with the position', async () => {
    const d = mkdtempSync(join(tmpdir(), 'permlint-cfg-'));
    writeFileSync(join(d, 'permlint.config.json'), '{\n  "rules": {\n    "allow-all": "off",\n  }\n}\n');
    const j = await runMain(['.'], d);
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/permlint\.config\.json:4:\d+: invalid JSON/);
    const y = mkdtempSync(join(tmpdir(), 'permlint-cfg-'));
    writeFileSync(join(y, '.permlintrc.yaml'), 'rules:\n  allow-all: off\n  allow-all: error\n');
    const r = await runMain(['.'], y);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.permlintrc\.yaml:3:\d+: invalid YAML/);
  });

  it('--config naming a missing file, or with --no-config, is a usage error', async () => {
    const d = mkdtempSync(join(tmpdir(), 'permlint-cfg-'));
    expect((await runMain(['--config', 'nope.json', '.'], d)).code).toBe(2);
    expect((await runMain(['--config', 'nope.json', '--no-config', '.'], d)).code).toBe(2);
  });

  it('permlint init writes a starter config that validates, and refuses to overwrite', async () => {
    const d = mkdtempSync(join(tmpdir(), 'permlint-init-'));
    const r = await runMain(['init'], d);
    expect(r.code).toBe(0);
    expect(existsSync(join(d, 'permlint.config.json'))).toBe(true);
    const cfg = JSON.parse(readFileSync(join(d, 'permlint.config.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(cfg)).toEqual(expect.arrayContaining(['rules', 'ignore', 'contexts', 'trusted', 'overrides']));
    writeFileSync(join(d, 'run.sh'), '#!/bin/sh\ndeno run --allow-net=api.example.com main.ts\n');
    expect((await runMain(['.'], d)).code).toBe(0);
    expect((await runMain(['init'], d)).code).toBe(2);
    expect((await runMain(['init', '--force'], d)).code).toBe(0);
  });
});
