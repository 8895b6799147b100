/**
 * What users of ESLint, zizmor and actionlint expect from a linter's command line, one test
 * each, through the CLI's main() in process (test/e2e/cli.test.ts runs the built binary).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, runMain } from '../helpers.js';

function tree(files: Record<string, string>, git = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-habits-'));
  if (git) execFileSync('git', ['init', '-q'], { cwd: dir });
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}
const json = (s: string) => JSON.parse(s) as { findings: { rule: string; file: string; line: number; level: string }[] };
const found = (s: string) => json(s).findings.map((f) => `${f.rule} ${f.file}:${f.line}`);

const DISABLED = '#!/bin/sh\nnode --allow-child-process app.js\n'; // permission-model-disabled, error
const WARNS = '{ "tasks": { "dev": "deno run --allow-run main.ts" } }\n'; // subprocess-escalation, warning (development)

describe('CLI habits', () => {
  it('finds the config by walking up from each linted path (subfolder runs, monorepo packages); its globs are relative to its folder', async () => {
    const dir = tree({
      'permlint.config.json': JSON.stringify({ ignore: ['packages/b/generated/'], rules: { 'permission-model-disabled': 'warning' } }),
      'packages/a/permlint.config.json': JSON.stringify({ rules: { 'permission-model-disabled': 'off' } }),
      'packages/a/run.sh': DISABLED,
      'packages/b/run.sh': DISABLED,
      'packages/b/generated/run.sh': DISABLED,
    });
    // in a subfolder: the repository's config applies, and its ignore glob written from the root
    const inB = await runMain(['--format', 'json', '.'], join(dir, 'packages/b'));
    expect(json(inB.stdout).findings.map((f) => `${f.rule} ${f.file} ${f.level}`)).toEqual(['permission-model-disabled run.sh warning']);
    // from the root, each package gets its nearest config
    const both = await runMain(['--format', 'json', 'packages/a', 'packages/b'], dir);
    expect(found(both.stdout)).toEqual(['permission-model-disabled packages/b/run.sh:2']);
    // a package with its own config stops the walk
    expect(found((await runMain(['--format', 'json', '.'], join(dir, 'packages/a'))).stdout)).toEqual([]);
    // without any config, the default level
    expect(json((await runMain(['--no-config', '--format', 'json', '.'], join(dir, 'packages/b'))).stdout).findings.map((f) => f.level)).toEqual(['error', 'error']);
  });

  it('--print-config <file> prints the effective levels and the context of that file', async () => {
    const dir = tree({
      'permlint.config.json': JSON.stringify({ rules: { 'unscoped-grant': 'off', 'allow-all': { level: 'error', contexts: { development: 'note' } } }, contexts: { test: ['e2e/'] } }),
      'deno.json': '{ "tasks": { "start": "deno run -A main.ts", "dev": "deno run -A dev.ts" } }\n',
      Dockerfile: 'FROM denoland/deno:2.1.4\nCMD ["deno", "task", "start"]\n',
      'e2e/run.sh': DISABLED,
      'tests/fixtures/deno.json': '{}\n',
    });
    const r = await runMain(['--print-config', 'deno.json'], dir);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { file: string; config: string; kind: string; contexts: string[]; rules: Record<string, Record<string, string>> };
    expect(doc).toMatchObject({ file: 'deno.json', config: 'permlint.config.json', kind: 'deno.json', contexts: ['deployment', 'development'] });
    expect(doc.rules.deployment!['allow-all']).toBe('error');
    expect(doc.rules.development!['allow-all']).toBe('note');
    expect(doc.rules.deployment!['unscoped-grant']).toBe('off');
    expect(JSON.parse(r.stdout)).toMatchObject({ role: 'production' });
    expect(JSON.parse((await runMain(['--print-config', 'tests/fixtures/deno.json'], dir)).stdout)).toMatchObject({ role: 'fixture', roleReason: expect.any(String) });
    const e2e = JSON.parse((await runMain(['--print-config', 'e2e/run.sh'], dir)).stdout) as { contexts: string[]; contextFromConfig: string; rules: Record<string, string> };
    expect(e2e.contexts).toEqual(['test']);
    expect(e2e.contextFromConfig).toBe('test');
    expect(e2e.rules['unscoped-grant']).toBe('off');
    expect((await runMain(['--print-config', 'nope.json'], dir)).code).toBe(2);
  });

  it('did-you-mean for unknown options, rule ids, formats and commands (exit 2)', async () => {
    const dir = tree({ 'run.sh': DISABLED });
    const opt = await runMain(['--fial-on', 'warning', '.'], dir);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("Unknown option '--fial-on'; did you mean `--fail-on`?");
    expect((await runMain(['--rule', 'alow-all=off', '.'], dir)).stderr).toContain('unknown rule `alow-all`; did you mean `allow-all`?');
    expect((await runMain(['explain', 'alow-all'], dir)).stderr).toContain('did you mean `allow-all`?');
    expect((await runMain(['--format', 'jsno', '.'], dir)).stderr).toContain('unknown format `jsno`; did you mean `json`?');
    const cmd = await runMain(['expain', 'allow-all'], dir);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain('did you mean the command `explain`?');
  });

  it('errors are JSON (or SARIF) on stdout with exit 2 when --format json or sarif', async () => {
    const dir = tree({ 'run.sh': DISABLED });
    const usage = await runMain(['--format', 'json', '--rule', 'bogus=off', '.'], dir);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({ version: 1, tool: { name: 'permlint', version: expect.any(String) }, error: { kind: 'usage', message: 'unknown rule `bogus`' } });
    const parse = await runMain(['--format', 'json', '--bogus'], dir);
    expect(parse.code).toBe(2);
    expect((JSON.parse(parse.stdout) as { error: { kind: string } }).error.kind).toBe('usage');
    writeFileSync(join(dir, 'permlint.config.json'), '{"rules": {"allow-all": "loud"}}');
    const cfg = await runMain(['--format', 'sarif', '.'], dir);
    expect(cfg.code).toBe(2);
    const log = JSON.parse(cfg.stdout) as { runs: { results: unknown[]; invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] }[] };
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.message.text).toContain('rules.allow-all');
    // other formats: stderr only
    expect((await runMain(['--rule', 'bogus=off', '.'], dir)).stdout).toBe('');
  });

  it('--quiet never changes the exit code: --max-warnings and --fail-on warning still count warnings', async () => {
    const dir = tree({ 'deno.json': WARNS });
    // the auditor persona shows the development-context warnings the default persona leaves to pedantic
    const loud = await runMain(['--persona', 'auditor', '--max-warnings', '0', '.'], dir);
    const quiet = await runMain(['--persona', 'auditor', '--quiet', '--max-warnings', '0', '.'], dir);
    expect(loud.code).toBe(1);
    expect(quiet.code).toBe(1);
    expect(loud.stdout).toContain('subprocess-escalation');
    expect(quiet.stdout).not.toContain('subprocess-escalation');
    expect((await runMain(['--persona', 'auditor', '-q', '--fail-on', 'warning', '.'], dir)).code).toBe(1);
    expect((await runMain(['--persona', 'auditor', '-q', '.'], dir)).code).toBe(0);
  });

  it('--max-warnings -1 means no limit; other negative numbers are a usage error', async () => {
    const dir = tree({ 'deno.json': WARNS });
    expect((await runMain(['--max-warnings', '-1', '.'], dir)).code).toBe(0);
    expect((await runMain(['--max-warnings=-1', '.'], dir)).code).toBe(0);
    expect((await runMain(['--max-warnings', '-2', '.'], dir)).code).toBe(2);
  });

  it('FORCE_COLOR turns colour on without a terminal (and wins over NO_COLOR); FORCE_COLOR=0 turns it off; machine formats never', async () => {
    const dir = tree({ 'run.sh': DISABLED });
    const esc = '\u001b[';
    expect((await runMain(['.'], dir, { NO_COLOR: '' })).stdout).not.toContain(esc);
    expect((await runMain(['.'], dir, { NO_COLOR: '', FORCE_COLOR: '1' })).stdout).toContain(esc);
    expect((await runMain(['.'], dir, { NO_COLOR: '1', FORCE_COLOR: '1' })).stdout).toContain(esc);
    expect((await runMain(['.'], dir, { NO_COLOR: '', FORCE_COLOR: '0' })).stdout).not.toContain(esc);
    expect((await runMain(['--no-color', '.'], dir, { FORCE_COLOR: '1' })).stdout).not.toContain(esc);
    expect((await runMain(['--format', 'github', '.'], dir, { FORCE_COLOR: '1' })).stdout).not.toContain(esc);
  });

  it('permlint rules --format json lists every rule', async () => {
    const r = await runMain(['rules', '--format', 'json'], ROOT);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { version: number; rules: { id: string; level: string; securitySeverity: string; description: string }[] };
    expect(doc.version).toBe(1);
    const ids = doc.rules.map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining(['allow-all', 'unscoped-grant', 'invalid-suppression']));
    expect(doc.rules.find((x) => x.id === 'allow-all')).toMatchObject({ level: 'error', securitySeverity: '9.0' });
    expect((await runMain(['rules'], ROOT)).stdout.split('\n').filter(Boolean)).toHaveLength(ids.length);
  });

  it('JUnit: notes are not failures', async () => {
    const dir = tree({ 'deno.json': '{ "tasks": { "t": "deno test -A" } }\n' }); // allow-all in deno test: a note
    const r = await runMain(['--persona', 'auditor', '--format', 'junit', '.'], dir); // auditor: notes are shown
    expect(r.stdout).toContain('failures="0"');
    expect(r.stdout).toMatch(/<system-out>note: .*\(allow-all\)/);
    expect(r.stdout).not.toContain('<failure');
  });

  it('an --ignore pattern that matches nothing is reported on stderr (the run goes on)', async () => {
    const dir = tree({ 'run.sh': DISABLED, 'vendor-x/run.sh': DISABLED });
    const typo = await runMain(['--ignore', 'vendro-x/', '.'], dir);
    expect(typo.stderr).toContain('--ignore `vendro-x/` matches no file or folder');
    expect(typo.code).toBe(1);
    const right = await runMain(['--ignore', 'vendor-x/', '--format', 'json', '.'], dir);
    expect(right.stderr).toBe('');
    expect(found(right.stdout)).toEqual(['permission-model-disabled run.sh:2']);
  });

  it('--ignore patterns: each is checked against the whole tree, gitignored folders included; only those that match nothing are reported, in order', async () => {
    // (the listing stops once every pattern has matched: `target/**` matches inside a gitignored folder the scan never walks)
    const dir = tree({ '.gitignore': 'target/\n', 'run.sh': DISABLED, 'target/debug/x.sh': DISABLED, 'a/b/c/run.sh': DISABLED, 'z/run.sh': DISABLED });
    const r = await runMain(['--ignore', 'typo-one/', '--ignore', 'target/**', '--ignore', 'a/b/c/', '--ignore', '**/*.zzz', '--format', 'json', '.'], dir);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'permlint: --ignore `typo-one/` matches no file or folder under .',
      'permlint: --ignore `**/*.zzz` matches no file or folder under .',
    ]);
    expect(found(r.stdout)).toEqual(['permission-model-disabled run.sh:2', 'permission-model-disabled z/run.sh:2']);
  });

  it('quoted positional globs are expanded (the shell did not); a glob that matches nothing is an error', async () => {
    const dir = tree({ 'services/a/run.sh': DISABLED, 'services/b/run.sh': DISABLED, 'tools/run.sh': DISABLED });
    const r = await runMain(['--format', 'json', 'services/*/run.sh'], dir);
    expect(found(r.stdout)).toEqual(['permission-model-disabled services/a/run.sh:2', 'permission-model-disabled services/b/run.sh:2']);
    expect(found((await runMain(['--format', 'json', '**/run.sh'], dir)).stdout)).toHaveLength(3);
    const none = await runMain(['services/*/deno.json'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no files match `services/*/deno.json`');
  });

  it('init writes a $schema that resolves: the local install (git URL or tarball), else the running install (global, npx)', async () => {
    // a project with permlint installed locally (what npm install github:…#sha and a tarball give)
    const local = tree({ 'node_modules/permlint/schema/permlint.schema.json': readFileSync(join(ROOT, 'schema/permlint.schema.json'), 'utf8') });
    expect((await runMain(['init'], local)).code).toBe(0);
    const ref = (JSON.parse(readFileSync(join(local, 'permlint.config.json'), 'utf8')) as { $schema: string }).$schema;
    expect(ref).toBe('./node_modules/permlint/schema/permlint.schema.json');
    expect(existsSync(join(local, ref))).toBe(true);
    // run from a subfolder of that project: the path climbs to it
    mkdirSync(join(local, 'pkg'));
    await runMain(['init'], join(local, 'pkg'));
    const sub = (JSON.parse(readFileSync(join(local, 'pkg', 'permlint.config.json'), 'utf8')) as { $schema: string }).$schema;
    expect(existsSync(join(local, 'pkg', sub))).toBe(true);
    // no local install (a global install or npx run it): the schema of the permlint that runs, as a file URL
    const bare = tree({}, false);
    await runMain(['init'], bare);
    const url = (JSON.parse(readFileSync(join(bare, 'permlint.config.json'), 'utf8')) as { $schema: string }).$schema;
    expect(url).toMatch(/^file:\/\//);
    expect(JSON.parse(readFileSync(fileURLToPath(url), 'utf8'))).toMatchObject({ title: 'permlint configuration' });
  });

  it('every command has complete --help', async () => {
    const main = (await runMain(['--help'], ROOT)).stdout;
    const src = readFileSync(join(ROOT, 'src/cli.ts'), 'utf8');
    const block = src.slice(src.indexOf('const OPTIONS = {'), src.indexOf('} as const;'));
    const names = [...block.matchAll(/^\s+'?([a-z-]+)'?: \{ type/gm)].map((m) => m[1]!).filter((n) => !['force', 'stdio', 'fix-all'].includes(n));
    for (const n of names) expect(main, `--${n} in --help`).toContain(`--${n}`);
    for (const c of ['audit', 'diff', 'explain', 'rules', 'init', 'lsp']) expect(main).toContain(`permlint ${c}`);
    const cmds: Record<string, string[]> = { explain: ['<rule-id>'], rules: ['--format'], init: ['--force'], lsp: ['--stdio'], audit: ['--format'], diff: ['<git-ref>'] };
    for (const [c, words] of Object.entries(cmds)) {
      const r = await runMain([c, '--help'], ROOT);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(new RegExp(`[Uu]sage:\\s+permlint ${c}`));
      for (const w of words) expect(r.stdout, `${c}: ${w}`).toContain(w);
      expect(r.stdout).not.toBe(main);
    }
  });
});
