import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingPathError, lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { brief } from '../helpers.js';

const FILES = {
  'deno.json': '{\n  "tasks": {\n    "dev": "deno run -A main.ts",\n    "start": "deno run --allow-net=api.example.com main.ts"\n  }\n}\n',
  'scripts/deploy.sh': '#!/bin/sh\ndeno run --allow-write main.ts\n',
  'node_modules/x/deno.json': '{"tasks":{"a":"deno run -A x.ts"}}',
  'notes.txt': 'deno run -A x.ts',
};

function onDisk(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-lint-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

describe('lint() over a file system', () => {
  it('gives the same findings, model and files in memory as on disk', async () => {
    const mem = await lint(memoryFs(FILES));
    const disk = await lint(['.'], { cwd: onDisk(FILES) });
    expect(brief(mem.findings)).toEqual(['allow-all deno.json:3:22 warning', 'unscoped-grant scripts/deploy.sh:2:10 warning']);
    expect(brief(disk.findings)).toEqual(brief(mem.findings));
    expect(mem.discovered.map((f) => `${f.path} ${f.kind}`)).toEqual(['deno.json deno.json', 'scripts/deploy.sh shell']);
    expect([...mem.files.keys()]).toEqual([...disk.files.keys()]);
    expect(mem.model.invocations.map((i) => i.id)).toEqual(disk.model.invocations.map((i) => i.id));
    expect(mem.root).toBe('/');
  });

  it('lints only the named paths, honours ignore globs for them, and reports missing paths', async () => {
    const fs = memoryFs(FILES);
    const r = await lint({ fs, paths: ['scripts/deploy.sh'] });
    expect(brief(r.findings)).toEqual(['unscoped-grant scripts/deploy.sh:2:10 warning']);
    const ignored = await lint({ fs, paths: ['scripts/deploy.sh'] }, { ignore: ['scripts/'] });
    expect(ignored.findings).toEqual([]);
    await expect(lint({ fs, paths: ['nope.json'] })).rejects.toBeInstanceOf(MissingPathError);
    const allowed = await lint({ fs, paths: ['nope.json', 'deno.json'] }, { allowMissing: true });
    expect(allowed.missing).toEqual(['nope.json']);
  });

  it('applies inline suppressions, rule levels and the baseline', async () => {
    const fs = memoryFs({
      'deno.jsonc': '{\n  "tasks": {\n    // permlint-ignore allow-all -- local playground\n    "dev": "deno run -A main.ts",\n    "w": "deno run --allow-write main.ts"\n  }\n}\n',
    });
    expect(brief((await lint(fs)).findings)).toEqual(['unscoped-grant deno.jsonc:5:20 warning']);
    expect(brief((await lint(fs, { inline: false })).findings)).toEqual(['allow-all deno.jsonc:4:22 warning', 'unscoped-grant deno.jsonc:5:20 warning']);
    expect((await lint(fs, { engine: { levels: { 'unscoped-grant': 'off' } } })).findings).toEqual([]);
    const stale = { version: 1, tool: 'permlint' as const, entries: [{ rule: 'allow-all', file: 'deno.jsonc', fingerprint: 'nothing-matches', text: 'x', occurrence: 1 }] };
    const r = await lint(fs, { baseline: stale });
    expect(r.staleBaseline.map((e) => e.fingerprint)).toEqual(['nothing-matches']);
  });

  it('does not list links, does not follow one out of the root, and skips files over the size limit', async () => {
    const fs = memoryFs(
      { 'app/deno.json': '{"tasks":{"a":"deno run -A main.ts"}}', 'outside/deno.json': '{"tasks":{"a":"deno run -A main.ts"}}', 'app/big.sh': `deno run -A x.ts\n${'#'.repeat(100)}` },
      { symlinks: { '/app/linked.json': '../outside/deno.json', '/app/sub': '/outside' } },
    );
    const r = await lint({ fs, paths: ['.'] }, { cwd: '/app', maxFileBytes: 64 });
    expect(r.discovered.map((f) => f.path)).toEqual(['deno.json']);
    expect(r.skipped).toEqual([
      { path: 'big.sh', reason: 'larger than the 0 KiB limit' },
      { path: 'sub', reason: 'symbolic link that points outside the scan root (not followed)' },
    ]);
    // a named link out of the root is refused (the CLI exits 2), not quietly skipped
    await expect(lint({ fs, paths: ['linked.json'] }, { cwd: '/app' })).rejects.toThrow('cannot read linked.json: symbolic link that points outside the scan root');
  });

  it('without rules, returns the model only (audit)', async () => {
    const r = await lint(memoryFs(FILES), { rules: [] });
    expect(r.findings).toEqual([]);
    expect(r.model.invocations.length).toBe(3);
  });
});
