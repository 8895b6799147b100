/** Shared helpers of the differential tests: seeded PRNG, argv tokens, PATH lookup, a small process pool. */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GrammarDiagnostic, Token } from '../../src/model.js';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    some: <T>(xs: readonly T[], min: number, max: number): T[] => {
      const n = min + Math.floor(next() * (max - min + 1));
      const pool = [...xs];
      const out: T[] = [];
      while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
      return out;
    },
  };
}

/** argv words as tokens on one line, separated by one space. */
export function tokens(words: string[]): Token[] {
  let col = 1;
  return words.map((value) => {
    const t: Token = { value, span: { file: 'argv', line: 1, column: col, endLine: 1, endColumn: col + value.length } };
    col += value.length + 1;
    return t;
  });
}

/** `which`: the first executable regular file named `name` on PATH. */
export function which(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(':')) {
    const candidate = join(dir || '.', name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, encoding: 'utf8', timeout: 30_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run `jobs` with at most `workers` in flight; results in input order. */
export async function pool<T, R>(items: readonly T[], workers: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await job(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, worker));
  return out;
}

/** Grammar diagnostics that stop Node at start-up (what the Node differentials compare with a refusal). */
export const NODE_FATAL: ReadonlySet<GrammarDiagnostic['code']> = new Set<GrammarDiagnostic['code']>(['empty-value', 'refused-at-start', 'flag-not-in-version']);

/** Whether a path of the probe folder is a directory (the grammar's `isDirectory` option). */
export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A fresh folder the probes run in (real path: the runtimes resolve symlinks such as /tmp), with
 * the given sub-folders and files. The test removes it in afterAll.
 */
export function probeFolder(prefix: string, dirs: readonly string[], files: Readonly<Record<string, string>> = {}): string {
  const base = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  for (const d of dirs) mkdirSync(join(base, d), { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(base, f), text);
  return base;
}
