/** The format names `--help` lists without loading reporters, and what start-up loads. */
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { REPORTERS } from '../../src/report/index.js';
import { FORMATS } from '../../src/report/formats.js';
import { loadReporter } from '../../src/report/load.js';
import { quickAnswer } from '../../src/quick.js';
import { main } from '../../src/cli.js';
import { ROOT, runCli } from '../helpers.js';

const TRACE = resolve(ROOT, 'test/report/trace/register.mjs');

/** The package's own modules (and dependencies) a run of the built CLI loads, relative to the package root. */
function loaded(args: string[], cwd = ROOT): { code: number | null; stdout: string; modules: string[] } {
  // ESM through the loader hook, CommonJS (what `require` and createRequire load) through NODE_DEBUG;
  // the ES modules, not the build's bundle of them (src/cli-loader.ts), so that the graph is seen
  const r = runCli(args, cwd, { NODE_OPTIONS: `--import ${pathToFileURL(TRACE).href}`, NODE_DEBUG: 'module', PERMLINT_BUNDLE: '0' });
  const root = pathToFileURL(ROOT).href + '/';
  const esm = [...r.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]!).filter((u) => u.startsWith('file:') && !u.includes('/test/report/trace/'));
  const cjs = [...r.stderr.matchAll(/^MODULE \d+: load "([^"]+)"/gm)].map((m) => pathToFileURL(m[1]!).href);
  return { code: r.code, stdout: r.stdout, modules: [...new Set([...esm, ...cjs].map((u) => u.replace(root, '')))].sort() };
}

async function viaMain(argv: string[]): Promise<string> {
  let out = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: () => {}, isTTY: false, env: {}, cwd: ROOT });
  expect(code).toBe(0);
  return out;
}

describe('lazy start-up', () => {
  it('FORMATS names exactly the reporters, and loadReporter gives each one', async () => {
    expect([...FORMATS].sort()).toEqual(Object.keys(REPORTERS).sort());
    for (const name of FORMATS) expect(await loadReporter(name), name).toBe(REPORTERS[name]);
    await expect(loadReporter('xml')).rejects.toThrow('no reporter named xml');
  });

  it('--version, --help, <command> --help and explain load only the quick module, the package helpers and the format names', () => {
    for (const args of [['--version'], ['-v'], ['--help'], ['-h'], ['explain', 'allow-all'], ['rules', '--help']]) {
      const r = loaded(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.modules, `${args.join(' ')} loaded more than it prints`).toEqual(['bin/permlint.js', 'dist/src/package-info.js', 'dist/src/quick.js', 'dist/src/report/formats.js']);
    }
    // the same trace sees the CLI, the pipeline and jsonc-parser (the deno.json reader) on a lint run, so the check above can fail
    const lint = loaded(['--format', 'json', 'fixtures/core-shell']);
    expect(lint.code).toBe(0);
    expect(lint.modules).toEqual(expect.arrayContaining(['dist/src/cli.js', 'dist/src/lint.js']));
    expect(lint.modules.some((m) => m.startsWith('node_modules/jsonc-parser/'))).toBe(true);
    // only the reporter of the format asked for
    expect(lint.modules.filter((m) => m.startsWith('dist/src/report/') && !['formats.js', 'load.js', 'escape.js', 'fingerprint.js', 'types.js'].some((x) => m.endsWith(`/${x}`)))).toEqual(['dist/src/report/json.js']);
    // semver only when a version is compared: core-shell pins node, a bare deno.json compares nothing
    expect(lint.modules.some((m) => m.startsWith('node_modules/semver/'))).toBe(true);
    const bare = mkdtempSync(join(tmpdir(), 'permlint-startup-'));
    writeFileSync(join(bare, 'deno.json'), '{ "tasks": { "dev": "deno run --allow-net=api.example.com main.ts" } }\n');
    const plain = loaded(['--format', 'json', 'deno.json'], bare);
    expect(plain.code).toBe(0);
    expect(plain.modules).toContain('dist/src/semver.js');
    expect(plain.modules.some((m) => m.startsWith('node_modules/semver/'))).toBe(false);
    // an argv the quick path does not answer goes to the CLI (here: an unknown rule is a usage error)
    expect(loaded(['explain', 'no-such-rule']).code).toBe(2);
  });

  it('the quick answers are the ones main() gives', async () => {
    expect(quickAnswer(['--version'])).toMatch(/^\d+\.\d+\.\d+/);
    expect(quickAnswer(['--help'])).toContain('Usage:');
    expect(quickAnswer(['explain', 'allow-all'])).toContain('# allow-all');
    expect(quickAnswer(['explain', 'no-such-rule'])).toBeUndefined();
    expect(quickAnswer(['--version', '--quiet'])).toBeUndefined();
    expect(quickAnswer(['audit', '--help'])).toBeUndefined(); // audit has its own help
    for (const argv of [['--version'], ['--help'], ['explain', 'allow-all'], ['init', '--help']]) {
      const quick = quickAnswer(argv);
      expect(quick).toBeDefined();
      // main() answers the combined forms through its option parser: the same text
      expect(await viaMain([...argv, ...(argv[0] === '--version' || argv[0] === '--help' ? ['--quiet'] : [])])).toBe(quick);
    }
  });

  it('a pre-commit run loads the source modules and parsers of the kinds it reads, and no other', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-precommit-'));
    const put = (p: string, text: string) => {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), text);
    };
    put('deno.json', '{ "tasks": { "start": "deno run --allow-net=api.example.com main.ts", "dev": "deno run -A main.ts" } }\n');
    put('Dockerfile', 'FROM denoland/deno:2.9.6\nUSER deno\nCMD ["deno", "task", "start"]\n');
    put('main.ts', 'const c = new Deno.Command("git", { args: ["status"] });\nawait c.output();\n');
    put('.github/workflows/ci.yml', 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno task dev\n');
    const has = (mods: string[], prefix: string) => mods.some((m) => m.startsWith(prefix) && m !== SNIFF);
    const YAML = 'node_modules/yaml/';
    const OXC = ['node_modules/oxc-parser/', 'node_modules/@oxc-parser/'];
    const TS = 'dist/src/sources/typescript/';
    // (the registry holds the TypeScript sniff, regular expressions only: discovery rules modules out with it)
    const SNIFF = 'dist/src/sources/typescript/sniff.js';

    // a Dockerfile: the Dockerfile reader and dockerfile-ast, the deno.json on the way; nothing runs
    // a Dockerfile, so the workflow is not parsed: no YAML, no TypeScript stack, no section G
    const docker = loaded(['--format', 'json', 'Dockerfile'], dir);
    expect(docker.code).toBe(0);
    expect(docker.modules).toEqual(expect.arrayContaining(['dist/src/sources/dockerfile.js', 'dist/src/sources/deno-json.js']));
    expect(has(docker.modules, 'node_modules/dockerfile-ast/')).toBe(true);
    for (const p of [YAML, ...OXC, TS, 'dist/src/sources/github-actions.js', 'dist/src/infer/run.js', 'dist/src/fix/', 'node_modules/mvdan-sh/']) expect(has(docker.modules, p), p).toBe(false);
    // the pinned version is compared (vulnerable-runtime) with semver's function modules, not its entry
    expect(has(docker.modules, 'node_modules/semver/functions/')).toBe(true);
    expect(docker.modules).not.toContain('node_modules/semver/index.js');

    // a TypeScript file: the TypeScript reader and oxc, and neither the Dockerfile nor the YAML stack
    const ts = loaded(['--format', 'json', 'main.ts'], dir);
    expect(ts.code).toBe(0);
    expect(has(ts.modules, TS)).toBe(true);
    expect(OXC.some((p) => has(ts.modules, p))).toBe(true);
    for (const p of [YAML, 'node_modules/dockerfile-ast/', 'dist/src/sources/dockerfile.js', 'dist/src/sources/github-actions.js']) expect(has(ts.modules, p), p).toBe(false);

    // deno.json: the workflow and the Dockerfile run its tasks, so both are parsed (the check above can fail)
    const config = loaded(['--format', 'json', 'deno.json'], dir);
    expect(config.code).toBe(0);
    // -A in the task the workflow runs: a warning in CI
    expect((JSON.parse(config.stdout) as { findings: { rule: string; level: string }[] }).findings.map((f) => `${f.rule} ${f.level}`)).toContain('allow-all warning');
    expect(config.modules).toEqual(expect.arrayContaining(['dist/src/sources/github-actions.js', 'dist/src/sources/dockerfile.js']));
    expect(has(config.modules, YAML)).toBe(true);
  });

  it('src/semver.ts answers as semver itself', async () => {
    const own = await import('../../src/semver.js');
    const lib = createRequire(import.meta.url)('semver') as typeof import('semver');
    for (const v of ['2.9.6', '1.46.3', 'v20.1.0', '2', '1.x', '>=1.2 <2', 'not a version', '2.0.0-rc.1']) {
      expect(own.valid(v), v).toBe(lib.valid(v));
      expect(own.validRange(v), v).toBe(lib.validRange(v));
      expect(own.coerce(v)?.version, v).toBe(lib.coerce(v)?.version);
      for (const r of ['<2.0.0', '>=1.18.0 <1.20.3', '<2.2.15 || >=2.3.0 <2.5.3']) {
        if (lib.valid(v)) expect(own.satisfies(v, r), `${v} ${r}`).toBe(lib.satisfies(v, r));
        if (lib.validRange(v)) {
          expect(own.subset(lib.validRange(v)!, r, { includePrerelease: false }), `${v} ${r}`).toBe(lib.subset(lib.validRange(v)!, r, { includePrerelease: false }));
          expect(own.intersects(lib.validRange(v)!, r), `${v} ${r}`).toBe(lib.intersects(lib.validRange(v)!, r));
        }
      }
      if (lib.valid(v)) {
        expect(own.compare(v, '2.0.0')).toBe(lib.compare(v, '2.0.0'));
        expect(own.gt(v, '2.0.0')).toBe(lib.gt(v, '2.0.0'));
        expect(own.major(v)).toBe(lib.major(v));
      }
    }
  });
});
