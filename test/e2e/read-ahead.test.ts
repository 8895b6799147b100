/**
 * CLI runs on a folder with the parser thread reading ahead of the walk (src/list-ahead.ts `reads`,
 * the real thread) against runs without it (PERMLINT_READ_AHEAD=0): the same report, byte for byte.
 * A module loaded into each run (./read-ahead/listen.mjs) says whether the walk read ahead (how
 * many folders it took from the thread depends on the machine's timing: only that the read ahead
 * ran, over every folder after the first READ_AHEAD_AFTER, is asserted). test/perf/read-ahead.test.ts meets the two sides in
 * every order; denoland/deno's and denoland/std's outputs are compared in docs/performance.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { READ_AHEAD_AFTER } from '../../src/discover.js';

const FOLDERS = 600;
const LISTEN = pathToFileURL(resolve(__dirname, 'read-ahead/listen.mjs')).href;
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'permlint-read-ahead-'));
  writeFileSync(join(root, 'deno.json'), '{ "tasks": { "dev": "deno run -A main.ts" } }\n');
  writeFileSync(join(root, 'main.ts'), 'new Deno.Command("deno", { args: ["run", "--allow-all", "x.ts"] });\n');
  // (more folders than the walk lists before it starts the read ahead: READ_AHEAD_AFTER)
  for (let i = 0; i < FOLDERS; i++) {
    const dir = join(root, `pkg${i % 12}`, `mod${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mod.ts'), `export const v${i} = ${i};\n`);
    writeFileSync(join(dir, 'util.js'), `// ünïcödé ${i}\nexport function f() { return ${i}; }\n`);
    if (i % 7 === 0) writeFileSync(join(dir, 'spawn.ts'), `import { spawn } from "node:child_process";\nspawn("node", ["--allow-fs-read=*", "w${i}.js"]);\n`);
    if (i % 11 === 0) writeFileSync(join(dir, 'worker.ts'), `// permlint-ignore allow-all -- a fixture\nnew Deno.Command("deno", { args: ["run", "-A", "w.ts"] });\n`);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(env: Record<string, string>) {
  const r = runCli(['--persona', 'auditor', '--format', 'json', '.'], root, { NODE_OPTIONS: `--import ${LISTEN}`, ...env });
  const line = /^READ-AHEAD (.*)$/m.exec(r.stderr);
  expect(line, r.stderr).not.toBeNull();
  return { code: r.code, stdout: r.stdout, seen: JSON.parse(line![1]!) as { taken: number; own: number }[] };
}

describe('a folder scanned with the parser thread reading ahead', () => {
  it('reports what the walk alone reports', () => {
    const alone = run({ PERMLINT_READ_AHEAD: '0' });
    const ahead = run({});
    expect(alone.seen).toEqual([]);
    // one walk read ahead (on a machine with a second core), and every folder it walked was listed by one side or the other
    if (availableParallelism() < 2) expect(ahead.seen).toEqual([]);
    else {
      expect(ahead.seen).toHaveLength(1);
      expect(ahead.seen[0]!.taken + ahead.seen[0]!.own).toBe(1 + 12 + FOLDERS - READ_AHEAD_AFTER);
    }
    expect(ahead.code).toBe(alone.code);
    expect(ahead.stdout).toBe(alone.stdout);
    const ids = (JSON.parse(ahead.stdout) as { findings: { rule: string; file: string }[] }).findings.map((f) => `${f.rule} ${f.file}`);
    expect(ids).toEqual(expect.arrayContaining(['allow-all main.ts', 'invalid-permission pkg0/mod0/spawn.ts']));
  });
});
