/** The format names `--help` lists without loading reporters, and what start-up loads. */
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
  // ESM through the loader hook, CommonJS (what `require` and createRequire load) through NODE_DEBUG
  const r = runCli(args, cwd, { NODE_OPTIONS: `--import ${pathToFileURL(TRACE).href}`, NODE_DEBUG: 'module' });
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
});
