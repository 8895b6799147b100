import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, removeFixtureCopies, runMain } from '../helpers.js';
import { lint } from '../../src/lint.js';
import { applyFixes, computeFixes, defaultImportsCover, denoScope } from '../../src/fix/index.js';
import { leastPrivilege, toFlags } from '../../src/infer/least.js';
// @ts-expect-error: a plain .mjs helper shared with the refresh script
import { PROGRAMS, fixtureNames } from '../../scripts/infer-truth.mjs';

const copy = copyFixture;
afterEach(removeFixtureCopies);
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

describe('--fix', () => {
  it('--fix-dry-run prints a diff of the safe fixes and writes nothing', async () => {
    const dir = copy('infer-fix');
    const before = read(dir, 'deno.jsonc');
    const r = await runMain(['--fix-dry-run', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-    "start": "deno run --allow-net api.example.com main.ts",\n');
    expect(r.stdout).toContain('+    "start": "deno run --allow-net=api.example.com main.ts",\n');
    expect(r.stdout).toContain('+    "late": "deno run --allow-env=HOME main.ts",\n');
    expect(r.stdout).toContain('+    "serve": "node --permission --allow-fs-read=./data --allow-fs-read=./static server.js"\n');
    expect(r.stderr).toContain('4 fixes for 2 files (dry run, nothing written); 4 more with --fix=all');
    expect(read(dir, 'deno.jsonc')).toBe(before);
  });

  it('--fix applies the safe fixes keeping comments and layout, then reports what is left', async () => {
    const dir = copy('infer-fix');
    const r = await runMain(['--fix', '--format', 'json', '.'], dir);
    expect(r.stderr).toContain('applied 4 fixes to 2 files');
    expect(read(dir, 'deno.jsonc')).toBe(
      '{\n  // tasks with mechanical mistakes and wide grants\n  "tasks": {\n    "start": "deno run --allow-net=api.example.com main.ts",\n    "late": "deno run --allow-env=HOME main.ts",\n    "wide": "deno run --allow-read --allow-write --allow-env main.ts" // nothing is written\n  }\n}\n',
    );
    const rules = JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule);
    expect(rules).not.toContain('ineffective-flag');
    expect(rules).not.toContain('deprecated-flag');
  });

  it('--fix=all also rewrites grants to the inferred least privilege in deno.json tasks and shell scripts', async () => {
    const dir = copy('infer-fix');
    await runMain(['--fix=all', '.'], dir);
    expect(read(dir, 'deno.jsonc')).toContain('"wide": "deno run --allow-read=./config.json --allow-env=HOME main.ts" // nothing is written');
    expect(read(dir, 'scripts/run.sh')).toBe('#!/bin/sh\n# run the tool (keep this comment)\nexec deno run --allow-read=./config.json --allow-env=HOME ../main.ts\n');
  });

  it('puts the fixes into the JSON and SARIF reports', async () => {
    const dir = copy('infer-fix');
    const json = JSON.parse((await runMain(['--format', 'json', '.'], dir)).stdout);
    const vs = json.findings.find((f: { rule: string; line: number }) => f.rule === 'ineffective-flag' && f.line === 4);
    expect(vs.fixes).toEqual([{ description: 'write `--allow-net=api.example.com`', safety: 'safe', replacements: [{ file: 'deno.jsonc', line: 4, column: 35, endLine: 4, endColumn: 36, text: '=' }] }]);
    const sarif = JSON.parse((await runMain(['--format', 'sarif', '.'], dir)).stdout);
    const res = sarif.runs[0].results.find((x: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }) => x.ruleId === 'ineffective-flag' && x.locations[0]!.physicalLocation.region.startLine === 4);
    expect(res.fixes[0].artifactChanges[0]).toEqual({
      artifactLocation: { uri: 'deno.jsonc', uriBaseId: '%SRCROOT%' },
      replacements: [{ deletedRegion: { startLine: 4, startColumn: 35, endLine: 4, endColumn: 36 }, insertedContent: { text: '=' } }],
    });
  });

  it('rewrites each ground-truth fixture task to the inferred least privilege', async () => {
    // what Deno does with the result is test/fix/ground-truth.test.ts; here: the flags are the inference's,
    // values in any order, a path under another listed path dropped, default import hosts left to Deno
    const asSet = (flags: string[]) =>
      flags
        .map((f) => {
          const [k, v] = f.split('=');
          return v === undefined ? k! : `${k}=${v.split(',').sort().join(',')}`;
        })
        .sort()
        .join(' ');
    for (const name of fixtureNames() as string[]) {
      const res = await lint(['.'], { cwd: resolve(PROGRAMS, name) });
      const texts = res.files;
      const { changed } = applyFixes(computeFixes(res.model, texts, true).filter((f) => f.safety === 'unsafe'), texts);
      const inf = res.model.inferences!.find((i) => i.entrypoint === 'main.ts')!;
      const lp = leastPrivilege(inf, 'deno');
      const want = toFlags({ grants: lp.grants.filter((g) => !defaultImportsCover(g)).map((g) => ({ ...g, scope: denoScope(g) })), unsure: [] }, 'deno');
      const config = changed.get('deno.json') ?? texts.get('deno.json');
      if (config === undefined) throw new Error(`${name}: deno.json not read (${[...texts.keys()].join(', ')})`);
      const task = JSON.parse(config).tasks.start as string;
      const got = task.split(' ').filter((w) => w.startsWith('--allow-'));
      if (inf.limits.length === 0) expect(`${name}: ${asSet(got)}`).toBe(`${name}: ${asSet(want)}`);
    }
  });
});
