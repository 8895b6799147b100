/**
 * The hostile-tree matrix runs the built CLI as a subprocess, as CI would run it on a stranger's
 * pull request, and measures what it costs: the exit code, what it printed, the peak resident
 * memory (GNU time's %M, or the child's own rusage when /usr/bin/time is missing) and whether it
 * finished. No wall-clock limit is asserted: a hang shows up as a test that does not finish.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, ROOT } from '../helpers.js';

/** A value planted in the child's environment and in files outside the tree; it must never be printed. */
export const SECRET = `permlint-canary-${process.pid}-${Date.now().toString(36)}`;
/** Peak RSS every hostile case must stay under. */
export const MAX_RSS_KB = 300 * 1024;

const GNU_TIME = '/usr/bin/time';
const PROBE = join(ROOT, 'test/hostile/rss-probe.cjs');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the CLI process, KiB. */
  peakKb: number;
  seconds: number;
}

export function tempTree(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-hostile-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Arguments for node before the CLI (the permission model). */
  nodeArgs?: string[];
  /** Where stdout goes: a pipe (default), or a file descriptor / path such as /dev/full. */
  stdoutPath?: string;
  /** Close our end of stdout after this many bytes (a reader like `head -c`). */
  closeStdoutAfter?: number;
}

/** Run `permlint …args` in `cwd` with the canary secret in its environment. */
export function runCli(args: string[], cwd: string, opts: RunOptions = {}): Promise<Run> {
  const stats = join(mkdtempSync(join(tmpdir(), 'permlint-rss-')), 'rss');
  const useTime = existsSync(GNU_TIME);
  // the hostile cases are about what permlint reads and prints, not about which findings a persona
  // ranks: lint runs show everything (the auditor persona)
  const lintArgs = ['audit', 'diff', 'explain', 'rules', 'init', 'infer', 'lsp'].includes(args[0] ?? '') ? args : ['--persona', 'auditor', ...args];
  const nodeArgv = [...(opts.nodeArgs ?? []), ...(useTime ? [] : ['-r', PROBE]), BIN, ...lintArgs];
  const [cmd, argv] = useTime ? [GNU_TIME, ['-f', '%M %e', '-o', stats, process.execPath, ...nodeArgv]] : [process.execPath, nodeArgv];
  const started = process.hrtime.bigint();
  const env = { ...process.env, NO_COLOR: '1', PERMLINT_CANARY: SECRET, NPM_TOKEN: SECRET, PERMLINT_RSS_FILE: stats, ...opts.env };
  return new Promise((resolvePromise, reject) => {
    const stdio: ('pipe' | 'ignore' | number)[] = ['ignore', 'pipe', 'pipe'];
    let outFd: number | undefined;
    if (opts.stdoutPath) {
      outFd = openSync(opts.stdoutPath, 'w');
      stdio[1] = outFd;
    }
    const child = spawn(cmd, argv, { cwd, env, stdio });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      stdout += d;
      if (opts.closeStdoutAfter !== undefined && stdout.length >= opts.closeStdoutAfter) {
        stdout = stdout.slice(0, opts.closeStdoutAfter);
        child.stdout?.destroy();
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (outFd !== undefined) closeSync(outFd);
      let peakKb = NaN;
      try {
        // GNU time prints "Command exited with non-zero status N" before its line when the code is not 0
        peakKb = Number(readFileSync(stats, 'utf8').trim().split('\n').at(-1)!.split(' ')[0]);
      } catch {
        /* no figure */
      }
      rmSync(dirname(stats), { recursive: true, force: true });
      resolvePromise({ code, signal, stdout, stderr, peakKb, seconds });
    });
  });
}

/** Figures of every run, printed once at the end (the report quotes them). */
export const figures: { name: string; code: number | null; peakMb: number; seconds: number }[] = [];
export function record(name: string, r: Run): Run {
  figures.push({ name, code: r.code, peakMb: Math.round(r.peakKb / 102.4) / 10, seconds: Math.round(r.seconds * 100) / 100 });
  return r;
}
