/**
 * The link phase end to end (the CLI's main(), in process): what a deployment file runs decides the level, whichever
 * files were passed, and `diff` compares linked models.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runMain } from '../helpers.js';
import type { JsonFinding } from '../../src/report/json.js';

function write(dir: string, files: Record<string, string>) {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-link-'));
  write(dir, files);
  return dir;
}

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=permlint-test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}


async function lintJson(dir: string, ...paths: string[]): Promise<{ code: number | null; findings: JsonFinding[] }> {
  const r = await runMain(['--persona', 'auditor', '--format', 'json', ...paths], dir); // every context, as the catalogue rates it
  expect(r.stderr).toBe('');
  return { code: r.code, findings: JSON.parse(r.stdout).findings };
}

const brief = (fs: JsonFinding[]) => fs.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.level} ${f.context ?? ''}`);

const DOCKERFILE = (task: string) => `FROM denoland/deno:2.9.6\nUSER deno\nCMD ["deno", "task", "${task}"]\n`;

describe('link phase (CLI)', () => {
  it('a permission set with "all": true that a Dockerfile CMD loads through a deno task is judged as deployment', async () => {
    const dir = tree({
      'deno.json': '{\n  "lock": { "frozen": true },\n  "permissions": { "app": { "all": true }, "unused": { "all": true } },\n  "tasks": { "start": "deno run -P=app main.ts" }\n}\n',
      Dockerfile: DOCKERFILE('start'),
    });
    const { code, findings } = await lintJson(dir, '.');
    expect(code).toBe(1);
    const all = findings.filter((f) => f.rule === 'allow-all');
    // the loaded set is an error in the deployment context, with the Dockerfile as related location; the unused one stays development
    expect(brief(all)).toEqual(['allow-all deno.json:3:29 error deployment', 'allow-all deno.json:3:56 warning development']);
    expect(all[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['Dockerfile:3']);
  });

  it('a pre-commit run on deno.json alone rates -A in a task that a Dockerfile runs as the full scan does (error)', async () => {
    const dir = tree({
      'deno.json': '{\n  "lock": { "frozen": true },\n  "tasks": {\n    "start": "deno run -A main.ts",\n    "dev": "deno run -A main.ts"\n  }\n}\n',
      Dockerfile: DOCKERFILE('start'),
    });
    const full = await lintJson(dir, '.');
    const one = await lintJson(dir, 'deno.json');
    expect(brief(full.findings.filter((f) => f.file === 'deno.json'))).toEqual(['allow-all deno.json:4:24 error deployment', 'allow-all deno.json:5:22 warning development']);
    expect(brief(one.findings)).toEqual(brief(full.findings.filter((f) => f.file === 'deno.json')));
    expect(one.findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['Dockerfile:3']);
    expect(one.code).toBe(1);
    // the Dockerfile was read to link, not reported: its own findings stay out of a run on deno.json
    const dockerOnly = await lintJson(dir, 'Dockerfile');
    expect(dockerOnly.findings.every((f) => f.file === 'Dockerfile')).toBe(true);
  });

  it('permlint diff reports a widening when a Dockerfile CMD switches from `deno task start` to `deno task dev` (dev is -A)', async () => {
    const dir = tree({
      'deno.json': '{\n  "tasks": {\n    "start": "deno run --allow-net=api.example.com main.ts",\n    "dev": "deno run -A main.ts"\n  }\n}\n',
      Dockerfile: DOCKERFILE('start'),
    });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    write(dir, { Dockerfile: DOCKERFILE('dev') });
    const r = await runMain(['diff', 'HEAD', '--format', 'json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.widened.map((e: { id: string }) => e.id)).toEqual(['deno.json#task:dev']);
    expect(doc.widened[0].context).toEqual({ before: 'development', after: 'deployment', calledBy: [{ file: 'Dockerfile', line: 3 }] });
    expect(doc.narrowed.map((e: { id: string; context: unknown }) => [e.id, e.context])).toEqual([['deno.json#task:start', { before: 'deployment', after: 'development' }]]);
    const text = await runMain(['diff', 'HEAD'], dir);
    expect(text.stdout).toContain('context   development → deployment  (now run by Dockerfile:3; what it grants now runs in a stronger context)');
  });
});
