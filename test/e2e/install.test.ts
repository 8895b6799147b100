/**
 * The install paths the docs give, tried as a user would, without the package being on the
 * registry: the tarball `npm pack` makes, and a git URL pinned to a commit (npm runs `prepare`,
 * which builds dist/, with the dev dependencies installed; npm runs it twice, once in its install
 * of the clone and once before packing it, and the second is an up-to-date check of the
 * incremental build). Each is installed into an empty
 * project (its dependencies come from the npm registry, the only network this needs) and run
 * with `npx permlint` on a small repository.
 *
 * The tarball is packed from the already built tree (`npm test` builds first) with
 * --ignore-scripts, so that no build rewrites dist/ while other test files run it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';

/** The environment of a user's shell: none of the npm_* variables `npm test` sets for its child processes. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  // --prefer-offline: what npm's cache already holds of the registry (package documents and
  // tarballs, checked by their integrity) is used without asking the registry again; anything
  // missing is still fetched. npm passes it on to the install it runs in the git clone. Without
  // it every install revalidated each package document (364 requests for the clone's install).
  return { ...env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_prefer_offline: 'true' };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...userEnv(), ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: { code: number | null; stdout: string; stderr: string }, what: string) {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

const bases: string[] = [];
// each install leaves ~30 MB (the project's node_modules, the tarball, the repository copy)
afterAll(() => {
  for (const b of bases) rmSync(b, { recursive: true, force: true });
});

/** An empty project, and beside it a repository to lint. */
function project() {
  const base = mkdtempSync(join(tmpdir(), 'permlint-install-'));
  bases.push(base);
  const proj = join(base, 'proj');
  mkdirSync(proj);
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
  writeFileSync(join(proj, 'deno.json'), '{\n  "tasks": {\n    "start": "deno run -A main.ts"\n  }\n}\n');
  writeFileSync(join(proj, 'run.sh'), '#!/bin/sh\nnode --allow-child-process app.js\n');
  return proj;
}

/**
 * What a working install does: `npx permlint` finds it, it lints, explains a rule (docs shipped)
 * and writes SARIF (schema and rule docs shipped). npx is asked once; the other runs start the
 * bin link npx runs (node_modules/.bin/permlint), without an npm start-up each.
 */
function checkInstalled(proj: string) {
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  expect(ok(run('npx', ['--no-install', 'permlint', '--version'], proj), 'npx permlint --version').stdout.trim()).toBe(version);
  const bin = join(proj, 'node_modules', '.bin', 'permlint');

  const r = run(bin, ['--format', 'json', '--persona', 'auditor', '.'], proj);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
  const findings = (JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; column: number }[] }).findings;
  expect(findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual(expect.arrayContaining(['allow-all deno.json:3:24', 'permission-model-disabled run.sh:2:6']));

  // the installed copy runs the CLI bundle with its code cache: npm gives each file the time it
  // wrote it, in no order, and the stamps of an installed copy compare sizes only (src/bundle-stamp.ts)
  const bundled = run(bin, ['--format', 'json', '.'], proj, { NODE_OPTIONS: `--import ${pathToFileURL(resolve(__dirname, 'install/bundles.mjs')).href}` });
  expect(bundled.code).toBe(1);
  expect(/^BUNDLES (.*)$/m.exec(bundled.stderr)?.[1]).toBe('["cli:taken"]');

  expect(ok(run(bin, ['explain', 'allow-all'], proj), 'explain').stdout).toMatch(/^# allow-all/m);
  const sarif = JSON.parse(run(bin, ['--format', 'sarif', '.'], proj).stdout) as { runs: { tool: { driver: { rules: { id: string; fullDescription?: { text: string } }[] } } }[] };
  const rule = sarif.runs[0]!.tool.driver.rules.find((x) => x.id === 'allow-all')!;
  expect(rule.fullDescription?.text.length).toBeGreaterThan(20);
}

// an install takes a minute or two on a busy machine: no time limit here (0 turns the global one off)
describe('installing permlint without the registry', { timeout: 0 }, () => {
  it('from the tarball npm pack makes', () => {
    const proj = project();
    const packDir = join(dirname(proj), 'pack');
    mkdirSync(packDir);
    const packed = ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], ROOT), 'npm pack');
    const info = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info[0]!.files.map((f) => f.path);
    // what the CLI needs at run time is in it; tests and sources of the build are not
    expect(files).toEqual(expect.arrayContaining(['bin/permlint.js', 'bin/package.json', 'dist/bundle/quick.cjs', 'dist/bundle/entry.cjs', 'dist/bundle/entry-stamp.json', 'dist/src/cli.js', 'schema/permlint.schema.json', 'docs/rules/allow-all.md', 'LICENSE', 'README.md']));
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('fixtures/') || f.startsWith('dist/test/'))).toEqual([]);
    // nor the build's incremental state (dist/tsconfig.build.tsbuildinfo)
    expect(files.filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);

    ok(run('npm', ['install', '--save-dev', join(packDir, info[0]!.filename)], proj), 'npm install <tarball>');
    checkInstalled(proj);
  });

  it('from a git URL pinned to a commit (prepare builds dist/)', () => {
    const proj = project();
    // a repository holding exactly the tracked files of this tree, as they are now
    const repo = join(dirname(proj), 'permlint.git');
    mkdirSync(repo);
    const tracked = ok(run('git', ['ls-files', '-z'], ROOT), 'git ls-files').stdout.split('\0').filter(Boolean);
    for (const f of tracked) {
      if (!existsSync(join(ROOT, f))) continue; // deleted in the work tree
      mkdirSync(dirname(join(repo, f)), { recursive: true });
      cpSync(join(ROOT, f), join(repo, f));
    }
    // the build output is not in git: the install must make it
    expect(readdirSync(repo)).not.toContain('dist');
    ok(run('git', ['init', '-q'], repo), 'git init');
    ok(run('git', ['add', '-A'], repo), 'git add');
    ok(run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '--no-verify', '-m', 'snapshot'], repo), 'git commit');
    const sha = ok(run('git', ['rev-parse', 'HEAD'], repo), 'git rev-parse').stdout.trim();

    ok(run('npm', ['install', '--save-dev', `git+file://${repo}#${sha}`], proj), 'npm install git+file://…#sha');
    const pkg = JSON.parse(readFileSync(join(proj, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies.permlint).toContain(sha);
    expect(existsSync(join(proj, 'node_modules/permlint/dist/src/cli.js'))).toBe(true);
    expect(existsSync(join(proj, 'node_modules/permlint/dist/tsconfig.build.tsbuildinfo'))).toBe(false);
    checkInstalled(proj);
  });
});
