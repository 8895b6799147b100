/**
 * Two argv readings the corpus showed wrong (issue 11), checked against Deno 2.9.6:
 * - `deno i` is `deno install` (`deno i --help` prints install's help);
 * - `deno --unstable run x.ts`: Deno 1.x took `--unstable` as a global flag before the
 *   subcommand (deprecated since 1.40); Deno 2 stops with "unrecognized subcommand 'run'"
 *   (and with "unexpected argument '--unstable-kv' found" for a feature flag there).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDeno } from '../../src/grammar/deno.js';
import type { Token } from '../../src/model.js';
import { brief, lintDir } from '../helpers.js';

const words = (line: string): Token[] => {
  let col = 1;
  return line.split(' ').map((value) => {
    const t: Token = { value, span: { file: 'x', line: 1, column: col, endLine: 1, endColumn: col + value.length } };
    col += value.length + 1;
    return t;
  });
};

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-argv-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

describe('deno i (alias of deno install)', () => {
  it('reads `deno i` as install: no script named `i`', () => {
    const p = parseDeno(words('i'));
    expect(p.subcommand).toBe('install');
    expect(p.entrypoint).toBeUndefined();
    const g = parseDeno(words('i -g -A -n tool jsr:@x/tool@1.0.0'));
    expect(g.subcommand).toBe('install');
    expect(g.entrypoint?.value).toBe('jsr:@x/tool@1.0.0');
    expect(parseDeno(words('rm @std/fs')).subcommand).toBe('remove');
  });

  it('a CI step `deno i` is an unfrozen local install (not `deno run i`)', async () => {
    const dir = repo({
      'deno.json': '{}\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno i\n      - run: deno i --frozen\n',
    });
    const { findings } = await lintDir(dir);
    const f = findings.filter((x) => x.ruleId === 'unfrozen-lockfile');
    expect(brief(f)).toEqual(['unfrozen-lockfile .github/workflows/ci.yml:6:14 warning']);
    expect(f[0]!.message).toMatch(/^`deno install` .* can rewrite deno\.lock; use `deno install --frozen`/);
  });
});

describe('deno --unstable run x.ts (the flag before the subcommand)', () => {
  it('is `run` with --unstable, not a script named `run`', () => {
    const p = parseDeno(words('--unstable run --allow-read=. dev.ts'));
    expect(p.subcommand).toBe('run');
    expect(p.entrypoint?.value).toBe('dev.ts');
    expect(p.flags.map((f) => f.name)).toContain('--unstable');
    expect(p.diagnostics.map((d) => `${d.code} ${d.span.column} ${d.versions?.range}`)).toEqual(['refused-at-start 1 >=2.0.0', 'deprecated 1 >=1.40.0 <2.0.0']);
  });

  it('Deno 2 (or no pin) refuses to start: invalid-permission, not deprecated-flag', async () => {
    const dir = repo({ 'deno.json': '{ "tasks": { "old": "deno --unstable run --allow-read=. dev.ts", "kv": "deno --unstable-kv run dev.ts" } }\n' });
    const { findings } = await lintDir(dir);
    const mine = findings.filter((f) => f.ruleId === 'invalid-permission' || f.ruleId === 'deprecated-flag' || f.ruleId === 'ineffective-flag');
    expect(brief(mine)).toEqual(['invalid-permission deno.json:1:27 error', 'invalid-permission deno.json:1:78 error']);
    expect(mine[0]!.message).toContain(`Deno 2 stops with "unrecognized subcommand 'run'"`);
    expect(mine[1]!.message).toContain(`Deno 2 stops with "unexpected argument '--unstable-kv' found"; write \`deno run --unstable-kv\``);
  });

  it('under a Deno 1.x pin (1.40 on) it is deprecated-flag only', async () => {
    const dir = repo({ '.dvmrc': '1.46.3\n', 'deno.json': '{ "tasks": { "old": "deno --unstable run --allow-read=. dev.ts" } }\n' });
    const { findings } = await lintDir(dir);
    const mine = findings.filter((f) => f.ruleId === 'invalid-permission' || f.ruleId === 'deprecated-flag');
    expect(brief(mine)).toEqual(['deprecated-flag deno.json:1:27 warning']);
    expect(mine[0]!.message).toContain('deprecated since Deno 1.40');
  });
});
