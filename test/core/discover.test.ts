import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover, isDotenv } from '../../src/discover.js';
import { ROOT, brief, lintDir, runMain } from '../helpers.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-disc-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

describe('discovery', () => {
  it('classifies by name, honours .gitignore, and records dotenv files without reading them', async () => {
    const dir = tree({
      '.gitignore': 'ignored/\n',
      'deno.jsonc': '{}',
      'ignored/deno.json': '{}',
      'app/.env': 'SECRET=1',
      'app/.env.example': 'SECRET=',
      'scripts/run': '#!/bin/sh\ndeno run main.ts\n',
      'notes.txt': 'deno run -A x.ts',
    });
    const r = discover(['.'], {}, dir);
    expect(r.files.map((f) => `${f.path} ${f.kind}`)).toEqual(['deno.jsonc deno.json', 'scripts/run shebang']);
    expect(r.secretFiles).toEqual(['app/.env']);
    expect(isDotenv('.env.production')).toBe(true);
    expect(isDotenv('.env.sample')).toBe(false);
  });

  it('a folder named through a link applies its own .gitignore files (regular entries of the walked folders), and still refuses a .gitignore link out of the root', () => {
    const real = tree({ 'std/.gitignore': 'ignored/\n', 'std/deno.json': '{}', 'std/ignored/deno.json': '{}', 'std/sub/.gitignore': 'x.sh\n', 'std/sub/x.sh': '#!/bin/sh\ndeno run a.ts\n' });
    const secret = tree({ 'ignore': 'deno.json\n' });
    const cwd = tree({});
    symlinkSync(real, join(cwd, 'corpus'));
    mkdirSync(join(real, 'std/linked'));
    writeFileSync(join(real, 'std/linked/deno.json'), '{}');
    symlinkSync(join(secret, 'ignore'), join(real, 'std/linked/.gitignore'));
    const r = discover(['corpus/std'], {}, cwd);
    expect(r.files.map((f) => f.path)).toEqual(['corpus/std/deno.json', 'corpus/std/linked/deno.json']);
    expect(r.skipped).toEqual([
      { path: 'corpus/std/linked/.gitignore', reason: 'symbolic link that points outside the scan root (not followed); its patterns were not applied' },
    ]);
  });

  it('a path outside the working directory is scanned relative to itself', async () => {
    const dir = tree({ 'sub/package.json': '{"scripts":{"a":"node --allow-child-process a.js"}}' });
    const r = await runMain(['--format', 'json', join(dir, 'sub')], ROOT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ rule: 'permission-model-disabled', file: 'package.json', line: 1, column: 23 });
  });

  it('package.json is strict JSON: a trailing comma is a parse-error (npm refuses it); deno.json allows it', async () => {
    const dir = tree({ 'package.json': '{"scripts":{"a":"node x.js",}}', 'deno.json': '{"tasks":{"a":"deno fmt",},}' });
    const { findings } = await lintDir(dir);
    expect(brief(findings)).toEqual(['parse-error package.json:1:29 error']);
  });

  it('a read grant over a folder holding a .env file is secret-exposure', async () => {
    const dir = tree({ 'deno.json': '{"tasks":{"a":"deno run --allow-read=. main.ts"}}', '.env': 'TOKEN=x' });
    const { findings } = await lintDir(dir);
    expect(brief(findings)).toEqual(['secret-exposure deno.json:1:38 warning']);
    expect(findings[0]!.message).toContain('.env');
  });
});
