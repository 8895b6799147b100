/**
 * The real runtimes' answers for `--fix=all` results, cached on disk and committed
 * (fixtures/fix-oracle/answers.json), like test/differential: a key is the runtime, its version,
 * the exact argv the fixed file runs and the fixture's content hash, so `npm test` starts no
 * runtime when nothing changed, and asks the runtime (scripts/runtimes.mjs installs it) only for
 * keys it has not seen. `PERMLINT_FIX_TRUTH_REFRESH=1` asks again for everything.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs helper shared with the refresh script (the same local server and no-network environment)
import { NO_NETWORK, serveRemote } from '../../scripts/infer-truth.mjs';

export interface RunAnswer {
  /** The fixture it ran (for a reader of the cache file; the key holds its hash). */
  fixture?: string;
  exit: number | null;
  /** The runtime refused an access (Deno `NotCapable` / "Requires … access", Node `ERR_ACCESS_DENIED`). */
  denied: boolean;
  /** The start of stderr, to read a failure. */
  stderr: string;
  /** Node audit runs: the checks the permission model made, `{ permission, resource }`. */
  checks?: { permission: string; resource: string }[];
}

const FILE = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/fix-oracle/answers.json');
const REFRESH = process.env.PERMLINT_FIX_TRUTH_REFRESH === '1';
/** Longest a fixture may run before it is killed (a hung program, not a timing assertion). */
const KILL_AFTER_MS = 60_000;

export class TruthCache {
  private answers: Record<string, RunAnswer>;
  private used = new Set<string>();
  private dirty = false;
  asked = 0;

  constructor() {
    this.answers = existsSync(FILE) && !REFRESH ? (JSON.parse(readFileSync(FILE, 'utf8')) as { answers: Record<string, RunAnswer> }).answers : {};
  }

  static key(runtime: string, version: string, argv: string[], fixtureHash: string): string {
    return JSON.stringify([runtime, version, argv, fixtureHash]);
  }

  async get(key: string, ask: () => Promise<RunAnswer>): Promise<RunAnswer> {
    this.used.add(key);
    const hit = this.answers[key];
    if (hit) return hit;
    const a = await ask();
    this.answers[key] = a;
    this.asked++;
    this.dirty = true;
    return a;
  }

  /** Write the file when something was asked, keeping only the keys this run used. */
  save(): void {
    for (const k of Object.keys(this.answers)) {
      if (!this.used.has(k)) {
        delete this.answers[k];
        this.dirty = true;
      }
    }
    if (!this.dirty) return;
    const sorted = Object.fromEntries(Object.entries(this.answers).sort(([a], [b]) => (a < b ? -1 : 1)));
    const body = Object.entries(sorted)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join(',\n');
    writeFileSync(FILE, `{"answers":{\n${body}\n}}\n`);
    this.dirty = false;
  }
}

export function run(exe: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(exe, args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), KILL_AFTER_MS);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Deno's answer: the fixed argv with `--no-prompt` (and no lockfile written into the fixture). */
export async function askDeno(exe: string, argv: string[], dir: string): Promise<RunAnswer> {
  const [sub, ...rest] = argv;
  const res = await serveRemote(dir, (env: Record<string, string>) => run(exe, [sub!, '--no-prompt', '--no-lock', ...rest], dir, { ...NO_NETWORK, ...env }));
  return { exit: res.code, denied: /NotCapable|Requires \w+ access/.test(res.stderr), stderr: res.stderr.replaceAll(dir, '$DIR').slice(0, 600) };
}

/** Node's answer for the fixed argv (Node never prompts: a refused access throws ERR_ACCESS_DENIED). */
export async function askNode(exe: string, argv: string[], dir: string): Promise<RunAnswer> {
  const res = await run(exe, argv, dir, { ...NO_NETWORK, NODE_OPTIONS: '' });
  return { exit: res.code, denied: /ERR_ACCESS_DENIED/.test(res.stderr), stderr: res.stderr.replaceAll(dir, '$DIR').slice(0, 600) };
}

/**
 * What Node's permission model checks running the entrypoint: `--permission-audit` (Node 24.20+)
 * performs every check without refusing and publishes each refusal on the
 * `node:permission-model:*` diagnostics channels, which a preload prints to stderr.
 */
export async function auditNode(exe: string, entry: string, dir: string): Promise<RunAnswer> {
  const pre = mkdtempSync(join(tmpdir(), 'permlint-audit-'));
  const preload = join(pre, 'audit.mjs');
  writeFileSync(
    preload,
    `import dc from 'node:diagnostics_channel';
for (const s of ['fs', 'child', 'worker', 'addon', 'wasi', 'inspector', 'net'])
  dc.subscribe('node:permission-model:' + s, (m) => process.stderr.write('PERMLINT-AUDIT ' + JSON.stringify({ permission: m.permission, resource: String(m.resource ?? '') }) + '\\n'));
`,
  );
  const res = await run(exe, ['--permission-audit', '--import', preload, entry], dir, { ...NO_NETWORK, NODE_OPTIONS: '' });
  rmSync(pre, { recursive: true, force: true });
  const checks = res.stderr
    .split('\n')
    .filter((l) => l.startsWith('PERMLINT-AUDIT '))
    .map((l) => JSON.parse(l.slice('PERMLINT-AUDIT '.length)) as { permission: string; resource: string })
    .map((c) => ({ ...c, resource: c.resource.startsWith(dir) ? `.${c.resource.slice(dir.length)}` : c.resource }));
  return { exit: res.code, denied: false, stderr: res.stderr.replace(/^PERMLINT-AUDIT .*\n/gm, '').replaceAll(dir, '$DIR').slice(0, 600), checks };
}

/** Node's permission names → permlint's kinds. */
export const NODE_PERMISSION_KIND: Record<string, string> = { FileSystemRead: 'read', FileSystemWrite: 'write', ChildProcess: 'run', WorkerThreads: 'worker', Worker: 'worker', Addon: 'ffi', AddonPermission: 'ffi', WASI: 'wasi', Inspector: 'inspector' };
