/** Test helpers: lint a fixture in-process, or run the built CLI as a subprocess. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { lint } from '../src/lint.js';
import { main } from '../src/cli.js';
import type { Finding, Model } from '../src/model.js';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
export const FIXTURES = resolve(ROOT, 'fixtures');
export const BIN = resolve(ROOT, 'bin/permlint.js');

let copies: string[] = [];
/** An empty scratch folder (for tests that write, such as --fix); removeFixtureCopies deletes it. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-fix-'));
  copies.push(dir);
  return dir;
}
/** A scratch copy of fixtures/<name>. */
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;

/** Whether a folder holds a TypeScript or JavaScript file (node_modules and .git not counted). */
export function holdsCode(dir: string): boolean {
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e === '.git') continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory() ? holdsCode(p) : CODE.test(e)) return true;
  }
  return false;
}

export function copyFixture(name: string): string {
  const dir = scratchDir();
  cpSync(resolve(FIXTURES, name), dir, { recursive: true });
  return dir;
}
/** Removes every folder scratchDir and copyFixture made (call it in afterEach). */
export function removeFixtureCopies(): void {
  for (const d of copies) rmSync(d, { recursive: true, force: true });
  copies = [];
}

export async function lintDir(dir: string, paths: string[] = ['.']): Promise<{ findings: Finding[]; model: Model }> {
  const { findings, model } = await lint(paths, { cwd: dir });
  return { findings, model };
}

export async function lintFixture(name: string, paths?: string[]) {
  return lintDir(resolve(FIXTURES, name), paths);
}

/** `rule file:line:col level` lines, for compact assertions. */
export function brief(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.span.file}:${f.span.line}:${f.span.column} ${f.level}`);
}

/**
 * The CLI's `main()` in this process, with what it prints captured: the same argv handling,
 * config loading, reporters and exit code as the built CLI, without a process start (about 80
 * tests used to spawn one each). `runCli` stays for what only a real process shows: bin start-up,
 * standard input, a closed pipe, the exit status Node sets.
 */
export async function runMain(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, stdin?: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    stderrIsTTY: false,
    env: { ...process.env, NO_COLOR: '1', ...env },
    cwd,
    ...(stdin !== undefined ? { readStdin: () => Promise.resolve(stdin) } : {}),
  });
  return { code, stdout, stderr };
}

/** The built CLI as a subprocess (bin/permlint.js). */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small deterministic generator (xorshift32; no Math.random: a failure must reproduce). */
export function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * Random nested folders made under `root` for the walk tests: `tries` times a name of `names` is
 * put under a folder made so far (deeper than `maxDepth` segments or made already: skipped).
 * The folders, `''` (the root) first.
 */
export function randomFolders(r: () => number, root: string, names: readonly string[], tries: number, maxDepth: number): string[] {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const folders = [''];
  for (let i = 0; i < tries; i++) {
    const parent = pick(folders);
    const f = parent ? `${parent}/${pick(names)}` : pick(names);
    if (f.split('/').length > maxDepth || folders.includes(f)) continue;
    mkdirSync(join(root, f), { recursive: true });
    folders.push(f);
  }
  return folders;
}
