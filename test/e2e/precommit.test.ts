/**
 * The pre-commit hooks: `.pre-commit-hooks.yaml` is read and its entry run the way pre-commit
 * runs it (from the repository root, with the changed files appended for `permlint`, with no
 * file names for `permlint-all`).
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, runCli, runMain } from '../helpers.js';

interface Hook {
  id: string;
  entry: string;
  language: string;
  args?: string[];
  pass_filenames?: boolean;
  always_run?: boolean;
  types?: string[];
  files?: string;
}
const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = (id: string) => hooks.find((h) => h.id === id)!;

function write(dir: string, path: string, text: string, mode?: number) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
  if (mode) chmodSync(join(dir, path), mode);
}

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-precommit-'));
  // recognised only by where it is: a workflow
  write(dir, '.github/workflows/ci.yml', 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno run --frozen -A tools/ci.ts\n');
  // recognised by name, and by content (a shebang, no extension)
  write(dir, 'Dockerfile.prod', 'FROM denoland/deno:2.8.1\nUSER 1000\nCMD ["deno", "run", "--frozen", "-A", "main.ts"]\n');
  write(dir, 'bin/start', '#!/bin/sh\nexec node --allow-child-process app.js\n', 0o755);
  // not passed: must not be reported
  write(dir, 'scripts/other.sh', '#!/bin/sh\ndeno run --frozen -A other.ts\n');
  // passed but not a permission configuration
  write(dir, 'README.md', 'Run `deno run -A main.ts`.\n');
  write(dir, 'src/app.py', 'print("hi")\n');
  // passed, but ignored by the config
  write(dir, 'fixtures/bad.sh', '#!/bin/sh\ndeno run --frozen -A bad.ts\n');
  write(dir, 'permlint.config.json', JSON.stringify({ ignore: ['fixtures/'] }));
  return dir;
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares permlint (changed files) and permlint-all (whole repository) as node hooks', () => {
    expect(hooks.map((h) => h.id)).toEqual(['permlint', 'permlint-all']);
    for (const h of hooks) {
      expect(h.language).toBe('node');
      expect(h.entry).toBe('permlint');
    }
    expect(hook('permlint').pass_filenames).not.toBe(false);
    expect(hook('permlint-all').pass_filenames).toBe(false);
    // the entry is the package's bin
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain(hook('permlint').entry);
  });

  it('permlint lints exactly the files pre-commit passes, including kinds known only by path', () => {
    const dir = repo();
    const h = hook('permlint');
    const staged = ['.github/workflows/ci.yml', 'Dockerfile.prod', 'bin/start', 'README.md', 'src/app.py', 'fixtures/bad.sh'];
    const r = runCli(['--format', 'json', ...(h.args ?? []), ...staged], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const found = (JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number }[] }).findings.map((f) => `${f.rule} ${f.file}:${f.line}`);
    expect(found).toEqual(['allow-all .github/workflows/ci.yml:6', 'allow-all Dockerfile.prod:3', 'permission-model-disabled bin/start:2']);
  });

  // the `permlint` hook above runs the bin as pre-commit does; the other two call its main() in process
  it('a commit of files with nothing to lint passes', async () => {
    const dir = repo();
    const r = await runMain(['README.md', 'src/app.py'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no problems');
  });

  it('permlint-all lints the whole repository without file names', async () => {
    const dir = repo();
    const r = await runMain(['--format', 'json', '--persona', 'auditor', ...(hook('permlint-all').args ?? [])], dir);
    expect(r.code).toBe(1);
    const files = new Set((JSON.parse(r.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file));
    expect([...files].sort()).toEqual(['.github/workflows/ci.yml', 'Dockerfile.prod', 'bin/start', 'scripts/other.sh']);
  });
});
