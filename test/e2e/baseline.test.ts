import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../helpers.js';

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-baseline-'));
  writeFileSync(join(dir, 'deno.json'), JSON.stringify({ tasks: { start: 'deno run --allow-read=./data main.ts' } }, null, 2));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM denoland/deno:2.1.4\nCMD ["deno", "run", "--frozen", "-A", "main.ts"]\n');
  writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nnode --allow-child-process app.js\n');
  return dir;
}

describe('baseline', () => {
  it('round trip: unchanged tree exits 0; a new finding is reported with exit 1; stale entries are reported', async () => {
    const dir = repo();
    const before = await runMain(['.'], dir);
    expect(before.code).toBe(1);

    const w = await runMain(['--write-baseline', 'permlint-baseline.json', '.'], dir);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/wrote \d+ findings? to the baseline/);
    const baseline = JSON.parse(readFileSync(join(dir, 'permlint-baseline.json'), 'utf8')) as { version: number; entries: { rule: string; file: string; text: string; occurrence: number; fingerprint: string }[] };
    expect(baseline.version).toBe(1);
    expect(baseline.entries.map((e) => `${e.rule} ${e.file} ${e.text}`)).toEqual(
      expect.arrayContaining(['allow-all Dockerfile -A', 'permission-model-disabled run.sh --allow-child-process']),
    );
    expect(JSON.stringify(baseline)).not.toMatch(/"line"/);

    // unchanged tree
    const same = await runMain(['--baseline', 'permlint-baseline.json', '--format', 'json', '.'], dir);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).findings).toEqual([]);
    expect(same.stderr).toBe('');

    // lines moved: still matched (keyed on text, not line numbers)
    writeFileSync(join(dir, 'Dockerfile'), 'FROM denoland/deno:2.1.4\n# a comment\nWORKDIR /app\n\nCMD ["deno", "run", "--frozen", "-A", "main.ts"]\n');
    expect((await runMain(['--baseline', 'permlint-baseline.json', '.'], dir)).code).toBe(0);

    // a new finding
    writeFileSync(join(dir, 'deploy.sh'), '#!/bin/sh\ndeno run --frozen --allow-write app.ts\n');
    const added = await runMain(['--baseline', 'permlint-baseline.json', '--format', 'json', '--fail-on', 'warning', '--persona', 'pedantic', '.'], dir);
    expect(added.code).toBe(1);
    const found = JSON.parse(added.stdout).findings as { rule: string; file: string; line: number }[];
    expect(found.map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual(['unscoped-grant deploy.sh:2']);

    // a fixed finding leaves a stale entry, reported on stderr (stdout stays machine-readable)
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nnode --permission --allow-fs-read=/x app.js\n');
    const fixed = await runMain(['--baseline', 'permlint-baseline.json', '--format', 'json', '.'], dir);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toContain('1 baseline entry no longer matches');
    expect(fixed.stderr).toContain('run.sh  permission-model-disabled  --allow-child-process');
    expect(() => JSON.parse(fixed.stdout)).not.toThrow();

    // a run on a few files (pre-commit) does not call the entries of other files stale
    const some = await runMain(['--baseline', 'permlint-baseline.json', 'Dockerfile'], dir);
    expect(some.code).toBe(0);
    expect(some.stderr).toBe('');
  });

  it('a second identical finding in the same file is new (occurrence)', async () => {
    const dir = repo();
    expect((await runMain(['--write-baseline', 'b.json', '.'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nnode --allow-child-process app.js\nnode --allow-child-process app.js\n');
    const r = await runMain(['--baseline', 'b.json', '--format', 'json', '.'], dir);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout).findings as { line: number }[]).map((f) => f.line)).toEqual([3]);
  });

  it('a missing or malformed baseline is a usage error (exit 2)', async () => {
    const dir = repo();
    const missing = await runMain(['--baseline', 'nope.json', '.'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the baseline nope.json');
    writeFileSync(join(dir, 'bad.json'), '{"hello": 1}');
    const bad = await runMain(['--baseline', 'bad.json', '.'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a permlint baseline');
  });
});
