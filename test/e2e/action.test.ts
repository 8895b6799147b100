/**
 * action.yml, run the way the Actions runner runs a composite action: each step's `if:` is
 * evaluated (a small evaluator for the expressions the file uses), `${{ … }}` in `env:` and
 * `with:` is filled in from inputs, step outputs and the `github` context, `run:` scripts go
 * through `bash --noprofile --norc -eo pipefail` with GITHUB_OUTPUT / GITHUB_PATH /
 * GITHUB_STEP_SUMMARY files, and lines added to GITHUB_PATH are put in front of PATH for the
 * later steps. The `uses:` steps are stood in for: setup-node adds a Node.js folder to
 * GITHUB_PATH; upload-sarif records what it was given and succeeds or, with an upload-denying
 * token, fails as GitHub answers ("Resource not accessible by integration").
 * The action path is this repository (built by `npm test`), so the build step finds dist/.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { FIXTURES, ROOT } from '../helpers.js';
import type { SarifLog } from '../report/sarif-helpers.js';

interface Step {
  id?: string;
  name: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  'working-directory'?: string;
  'continue-on-error'?: boolean | string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;

// ---------------------------------------------------------------------------------------------
// expressions: literals, context paths, ==, !=, &&, ||, !, ( ), always(), success()

type Ctx = { inputs: Record<string, string>; steps: Record<string, { outputs: Record<string, string> }>; github: Record<string, unknown>; failed: boolean };

function evaluate(expr: string, ctx: Ctx): unknown {
  const tokens = expr.match(/'(?:[^']|'')*'|==|!=|&&|\|\||[()!]|[A-Za-z_][\w.[\]-]*\(\)|[A-Za-z_][\w.-]*|\d+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const lookup = (path: string): unknown => {
    let v: unknown = ctx as unknown;
    for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    return v ?? '';
  };
  const primary = (): unknown => {
    const t = tokens[i++]!;
    if (t === '(') {
      const v = or();
      i++; // )
      return v;
    }
    if (t === '!') return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^\d+$/.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'always()') return true;
    if (t === 'success()') return !ctx.failed;
    if (t === 'failure()') return ctx.failed;
    return lookup(t);
  };
  const cmp = (): unknown => {
    let l = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = tokens[i++];
      const r = primary();
      const eq = String(l).toLowerCase() === String(r).toLowerCase();
      l = op === '==' ? eq : !eq;
    }
    return l;
  };
  const and = (): unknown => {
    let l = cmp();
    while (peek() === '&&') {
      i++;
      const r = cmp();
      l = truthy(l) ? r : l;
    }
    return l;
  };
  const or = (): unknown => {
    let l = and();
    while (peek() === '||') {
      i++;
      const r = and();
      l = truthy(l) ? l : r;
    }
    return l;
  };
  return or();
}
const truthy = (v: unknown) => v !== '' && v !== false && v !== 0 && v !== undefined && v !== null;
const fill = (s: string, ctx: Ctx) => s.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => String(evaluate(e, ctx)));

// ---------------------------------------------------------------------------------------------
// the job

interface RunOptions {
  inputs?: Record<string, string>;
  github?: Record<string, unknown>;
  /** What upload-sarif answers: true succeeds, false is the read-only token's refusal. */
  uploadAllowed?: boolean;
  /** PATH of the job (default: a folder with a Node.js 24 stand-in, then the system PATH). */
  path?: string;
  toolCache?: string;
  /** The folder setup-node would add (when it runs). */
  setupNodeDir?: string;
}

interface StepResult {
  name: string;
  ran: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/** A Node.js stand-in that reports `major` as its version and otherwise is this Node.js. */
function fakeNode(dir: string, major: number): string {
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, 'node');
  writeFileSync(
    bin,
    `#!/bin/sh\nif [ "$1" = "-p" ] && [ "$2" = 'process.versions.node.split(".")[0]' ]; then echo ${major}; exit 0; fi\nif [ "$1" = "--version" ]; then echo v${major}.0.0; exit 0; fi\nexec "${process.execPath}" "$@"\n`,
  );
  chmodSync(bin, 0o755);
  return bin;
}

function runJob(repo: string, o: RunOptions = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'permlint-runner-'));
  const files = { output: join(tmp, 'output'), path: join(tmp, 'path'), summary: join(tmp, 'summary.md'), env: join(tmp, 'env') };
  writeFileSync(files.path, '');
  writeFileSync(files.summary, '');
  const basePath = o.path ?? `${dirname(fakeNode(join(tmp, 'job-node'), 24))}:${process.env.PATH}`;
  const ctx: Ctx = {
    inputs: { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), ...(o.inputs ?? {}) },
    steps: {},
    github: { action_path: ROOT, workspace: repo, event_name: 'push', actor: 'octocat', repository: 'acme/app', event: {}, ...(o.github ?? {}) },
    failed: false,
  };
  const results: StepResult[] = [];
  const uploads: Record<string, string>[] = [];
  for (const step of action.runs.steps) {
    const cond = step.if ?? 'success()';
    const ran = truthy(evaluate(/\b(always|success|failure|cancelled)\(\)/.test(cond) ? cond : `success() && (${cond})`, ctx));
    if (!ran) {
      results.push({ name: step.name, ran: false, code: 0, stdout: '', stderr: '' });
      continue;
    }
    // the runner puts GITHUB_PATH lines in front, the last added first
    const added = readFileSync(files.path, 'utf8').split('\n').filter(Boolean).reverse();
    const PATH = [...added, basePath].join(':');
    writeFileSync(files.output, '');
    let code = 0;
    let stdout = '';
    let stderr = '';
    if (step.run) {
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, fill(v, ctx)]));
      const cwd = join(repo, step['working-directory'] ? fill(step['working-directory'], ctx) : '.');
      const script = join(tmp, 'step.sh');
      writeFileSync(script, step.run);
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd,
        encoding: 'utf8',
        env: {
          HOME: process.env.HOME,
          PATH,
          NO_COLOR: '1',
          CI: 'true',
          GITHUB_ACTIONS: 'true',
          GITHUB_WORKSPACE: repo,
          GITHUB_OUTPUT: files.output,
          GITHUB_PATH: files.path,
          GITHUB_ENV: files.env,
          GITHUB_STEP_SUMMARY: files.summary,
          ...(o.toolCache ? { RUNNER_TOOL_CACHE: o.toolCache } : {}),
          ...env,
        },
      });
      code = r.status ?? 1;
      stdout = r.stdout;
      stderr = r.stderr;
    } else if (step.uses?.startsWith('actions/setup-node@')) {
      writeFileSync(files.path, `${readFileSync(files.path, 'utf8')}${o.setupNodeDir}\n`);
    } else if (step.uses?.startsWith('github/codeql-action/upload-sarif@')) {
      const given = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, fill(v, ctx)]));
      uploads.push(given);
      if (o.uploadAllowed === false) {
        code = 1;
        stderr = 'Error: Resource not accessible by integration';
      }
    }
    const outputs = Object.fromEntries(
      readFileSync(files.output, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    if (step.id) ctx.steps[step.id] = { outputs };
    const tolerated = step['continue-on-error'] === true || step['continue-on-error'] === 'true';
    if (code !== 0 && !tolerated) ctx.failed = true;
    results.push({ name: step.name, ran: true, code, stdout, stderr });
  }
  const added = readFileSync(files.path, 'utf8').split('\n').filter(Boolean).reverse();
  return { failed: ctx.failed, steps: results, step: (n: string) => results.find((r) => r.name === n)!, ctx, uploads, summary: readFileSync(files.summary, 'utf8'), pathAfter: [...added, basePath].join(':'), basePath };
}

function fixtureRepo(name = 'demo', sub = ''): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'permlint-action-')), 'repo');
  cpSync(join(FIXTURES, name), join(dir, sub), { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

describe('action.yml (composite GitHub Action)', () => {
  it('is composite, uses current major versions, never installs permlint from the registry, and never splices inputs into scripts', () => {
    expect(action.runs.using).toBe('composite');
    const uses = action.runs.steps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses.sort()).toEqual(['actions/setup-node@v6', 'github/codeql-action/upload-sarif@v4']);
    const text = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    expect(text).not.toMatch(/npm (install|i) [^\n]*permlint|npx [^\n]*permlint/);
    // inputs reach shell scripts through env, never spliced into the script text
    for (const s of action.runs.steps) if (s.run) expect(s.run).not.toContain('${{');
    for (const k of ['max-warnings', 'rule', 'ignore', 'working-directory', 'config', 'args', 'fail-on', 'paths', 'baseline']) expect(action.inputs[k]).toBeDefined();
  });

  it('one scan gives SARIF, annotations with the report, and the job summary; the job fails per fail-on', () => {
    const repo = fixtureRepo();
    const job = runJob(repo);
    const scan = job.step('Run permlint');
    expect(scan.code).toBe(0);
    expect(job.ctx.steps.scan!.outputs['exit-code']).toBe('1');
    // one permlint process: the build step prints the version, the scan step runs it once
    const log = JSON.parse(readFileSync(join(repo, 'permlint.sarif'), 'utf8')) as SarifLog;
    const results = log.runs[0]!.results.map((r) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`);
    expect(results).toContain('allow-all deno.json:4');
    const annotations = scan.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
    expect(annotations.length).toBe(results.length);
    expect(annotations.some((a) => a.startsWith('::error file=deno.json,line=4,col=24,endLine=4,endColumn=26,title=allow-all::'))).toBe(true);
    expect(scan.stdout).toMatch(/✖ \d+ problems/);
    expect(job.summary).toContain('## permlint');
    expect(job.uploads).toEqual([{ sarif_file: join(repo, 'permlint.sarif'), category: 'permlint' }]);
    expect(job.step('Fail per fail-on').code).toBe(1);
    expect(job.failed).toBe(true);
    // no setup-node: the job's Node.js 24 was used, and PATH is what it was
    expect(job.step('Set up Node.js for permlint').ran).toBe(false);
    expect(job.pathAfter).toBe(job.basePath);
  });

  it('fail-on never: an upload-denying token (private repository without code scanning) does not fail the job', () => {
    const job = runJob(fixtureRepo(), { inputs: { 'fail-on': 'never' }, uploadAllowed: false });
    expect(job.ctx.steps.scan!.outputs['exit-code']).toBe('0');
    expect(job.step('Upload SARIF to code scanning').code).toBe(1); // it ran and was refused
    expect(job.failed).toBe(false);
    // and a configuration error is a warning, not a failure, under never
    const repo = fixtureRepo();
    writeFileSync(join(repo, 'permlint.config.json'), '{"rules": {"alow-all": "off"}}');
    const bad = runJob(repo, { inputs: { 'fail-on': 'never' } });
    expect(bad.ctx.steps.scan!.outputs['exit-code']).toBe('2');
    expect(bad.step('Upload SARIF to code scanning').ran).toBe(false);
    expect(bad.step('Fail per fail-on').stdout).toContain('::warning title=permlint::');
    expect(bad.failed).toBe(false);
    expect(bad.step('Run permlint').stderr).toContain('did you mean `allow-all`');
  });

  it('skips the upload for Dependabot and for pull requests from forks; a configuration error fails the job under error', () => {
    const dependabot = runJob(fixtureRepo(), { github: { actor: 'dependabot[bot]' }, inputs: { 'fail-on': 'never' } });
    expect(dependabot.step('Upload SARIF to code scanning').ran).toBe(false);
    expect(dependabot.failed).toBe(false);
    const fork = runJob(fixtureRepo(), { github: { event_name: 'pull_request', event: { pull_request: { head: { repo: { full_name: 'someone/app' } } } } }, inputs: { 'fail-on': 'never' } });
    expect(fork.step('Upload SARIF to code scanning').ran).toBe(false);
    const same = runJob(fixtureRepo(), { github: { event_name: 'pull_request', event: { pull_request: { head: { repo: { full_name: 'acme/app' } } } } }, inputs: { 'fail-on': 'never' } });
    expect(same.step('Upload SARIF to code scanning').ran).toBe(true);

    const repo = fixtureRepo();
    writeFileSync(join(repo, 'permlint.config.json'), '{"rules": {"alow-all": "off"}}');
    const bad = runJob(repo);
    expect(bad.step('Fail per fail-on').stdout).toContain('::error title=permlint::');
    expect(bad.failed).toBe(true);
  });

  it('inputs: working-directory (SARIF stays repository-relative), config, max-warnings, rule, ignore and extra args', () => {
    const repo = fixtureRepo('demo', 'services/api');
    writeFileSync(join(repo, 'services/api/strict.json'), JSON.stringify({ rules: { 'unscoped-grant': 'off' } }));
    const job = runJob(repo, {
      inputs: {
        'working-directory': 'services/api',
        config: 'strict.json',
        'max-warnings': '0',
        rule: 'allow-all=warning\nineffective-flag=off',
        ignore: 'scripts/\n',
        args: '--report-unused-suppressions',
        'fail-on': 'never',
        annotations: 'false',
      },
    });
    expect(job.step('Run permlint').stderr).toBe('');
    const log = JSON.parse(readFileSync(join(repo, 'services/api/permlint.sarif'), 'utf8')) as SarifLog;
    const results = log.runs[0]!.results.map((r) => `${r.ruleId} ${r.level} ${r.locations[0]!.physicalLocation.artifactLocation.uri}`);
    expect(results.some((r) => r.startsWith('allow-all warning services/api/deno.json'))).toBe(true);
    expect(results.filter((r) => /^(unscoped-grant|ineffective-flag) /.test(r))).toEqual([]);
    expect(results.filter((r) => r.includes('services/api/scripts/'))).toEqual([]);
    // max-warnings 0 with warnings: exit 1, but fail-on never does not fail the job
    expect(job.ctx.steps.scan!.outputs['exit-code']).toBe('1');
    expect(job.failed).toBe(false);
    // annotations off: the plain report
    expect(job.step('Run permlint').stdout).not.toMatch(/^::/m);
    expect(job.uploads[0]!.sarif_file).toBe(join(repo, 'services/api/permlint.sarif'));
  });

  it('Node.js: a 22+ on PATH or in the tool cache is used by path; otherwise setup-node runs and the caller gets its Node.js back', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'permlint-node-'));
    const old = dirname(fakeNode(join(tmp, 'old'), 20));
    const sys = '/usr/bin:/bin';
    // a Node.js 20 on PATH, a 22 and a 24 in the tool cache: the newest of the cache, PATH untouched
    const cache = join(tmp, 'cache');
    fakeNode(join(cache, 'node', '22.11.0', 'x64', 'bin'), 22);
    const n24 = fakeNode(join(cache, 'node', '24.4.1', 'x64', 'bin'), 24);
    const cached = runJob(fixtureRepo(), { path: `${old}:${sys}`, toolCache: cache, inputs: { 'fail-on': 'never' } });
    expect(cached.ctx.steps.node!.outputs.node).toBe(n24);
    expect(cached.step('Set up Node.js for permlint').ran).toBe(false);
    expect(cached.pathAfter).toBe(`${old}:${sys}`);
    expect(cached.ctx.steps.scan!.outputs['exit-code']).toBe('0');

    // nothing suitable: setup-node, then the caller's folder goes in front again
    const setupDir = dirname(fakeNode(join(tmp, 'setup'), 24));
    const setup = runJob(fixtureRepo(), { path: `${old}:${sys}`, setupNodeDir: setupDir, inputs: { 'fail-on': 'never' } });
    expect(setup.step('Set up Node.js for permlint').ran).toBe(true);
    expect(setup.ctx.steps.restore!.outputs.node).toBe(join(setupDir, 'node'));
    expect(setup.ctx.steps.scan!.outputs['exit-code']).toBe('0');
    const which = spawnSync('bash', ['-c', 'command -v node'], { encoding: 'utf8', env: { PATH: setup.pathAfter } });
    expect(which.stdout.trim()).toBe(join(old, 'node'));

    // an explicit major that is too old is refused
    const bad = runJob(fixtureRepo(), { inputs: { 'node-version': '20' } });
    expect(bad.step('Find Node.js for permlint').code).toBe(1);
    expect(bad.step('Run permlint').ran).toBe(false);
    expect(existsSync(join(tmp, 'nothing'))).toBe(false);
  });
});
