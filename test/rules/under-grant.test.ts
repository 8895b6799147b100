import { fixtureFiles, ruleTester } from '../rule-tester.js';
import { at } from '../semantics/where.js';

const FX = 'infer-rules';
const RULE = 'under-grant';

/** Line and column of `token` on the only line of a fixture file that contains `lineHas` (from the fixture text). */
const loc = (file: string, lineHas: string, token: string) => {
  const [, line, column] = at(FX, file, lineHas, token).split(':');
  return { file, line: Number(line), column: Number(column) };
};

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A message that contains `want` and none of `others` (so that each of several findings names exactly one of them). */
const only = (want: string[], others: string[]) => new RegExp(`^${want.map((w) => `(?=[^]*${esc(w)})`).join('')}${others.map((o) => `(?![^]*${esc(o)})`).join('')}`);

/** The fixture's program with exactly the grants it needs. */
const exact = {
  ...fixtureFiles(FX),
  'deno.json': JSON.stringify({
    imports: { '@std/path': 'jsr:@std/path@^1' },
    tasks: { start: 'deno run --allow-read=./config.json,./static/about.html,./static/index.html --allow-env=PORT --allow-net=127.0.0.1:8080,api.example.com:443 main.ts' },
  }),
};

const symlinkEnvRun = 'await Deno.symlink("a", "b");\nDeno.env.toObject();\nnew Deno.Command("ls", { env: { LD_PRELOAD: "x.so" } });\n';
const UNSCOPED = ['unscoped `--allow-read`', 'unscoped `--allow-write`', 'unscoped `--allow-env`', 'unscoped `--allow-run` (`LD_PRELOAD`'];
const unscoped = (i: number) => only([UNSCOPED[i]!], UNSCOPED.filter((_, j) => j !== i));

const nodeMain = 'import { execFileSync } from "node:child_process";\nimport "./lib.mjs";\nexecFileSync("ls");\nawait fetch("https://example.com");\nprocess.env.HOME;\n';
const [MAIN, LIB, CHILD] = ['`--allow-fs-read=./main.mjs`', '`--allow-fs-read=./lib.mjs`', '`--allow-child-process`'];

const imports = JSON.stringify({ tasks: { a: 'deno run main.ts', b: 'deno run --allow-import=example.com:443 main.ts', c: 'deno run --allow-import=example.com:443 jsr.ts', d: 'deno run jsr.ts' } });

ruleTester(RULE, {
  valid: [
    { name: 'the fixture program granted exactly what it reads, its env variable and the hosts it serves and fetches', files: exact },
    {
      name: 'unscoped grants where only those satisfy (symlink, env enumeration, LD_ in a child env)',
      files: { 'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-read --allow-write --allow-env --allow-run main.ts' } }), 'main.ts': symlinkEnvRun },
    },
    {
      name: 'Deno.openKv() with no path opens the default database, which needs nothing',
      files: { 'deno.json': JSON.stringify({ tasks: { a: 'deno run --unstable-kv main.ts' } }), 'main.ts': 'const kv = await Deno.openKv();\nkv.close();\n' },
    },
    {
      name: 'Node granted fs read for each module it loads and --allow-child-process (net and env are not Node kinds)',
      files: {
        'package.json': JSON.stringify({ scripts: { start: 'node --permission --allow-fs-read=./main.mjs --allow-fs-read=./lib.mjs --allow-child-process main.mjs' } }),
        'main.mjs': nodeMain,
        'lib.mjs': 'export {};\n',
      },
    },
    {
      name: 'a remote import from a host --allow-import grants, and jsr: under the default import hosts',
      files: {
        'deno.json': JSON.stringify({ tasks: { b: 'deno run --allow-import=example.com:443 main.ts', d: 'deno run jsr.ts' } }),
        'main.ts': 'import "https://example.com/x.ts";\n',
        'jsr.ts': 'import "jsr:@std/path@1";\n',
      },
    },
  ],
  invalid: [
    {
      // none for the "start" task (it grants more than enough: over-grant's) nor for -A ("all")
      name: 'each need the grants do not cover, at the grant of that kind, with the call sites as related locations',
      files: fixtureFiles(FX),
      errors: [
        {
          ...loc('deno.json', '"tight"', '--allow-read'),
          level: 'error',
          message: 'needs `--allow-read=./config.json` for `Deno.readTextFile(CONFIG)` at main.ts:7',
          related: [loc('main.ts', 'readTextFile(CONFIG)', 'Deno')],
        },
        { ...loc('deno.json', '"tight"', '--allow-net'), level: 'error', message: '`--allow-net=127.0.0.1:8080`' },
      ],
    },
    {
      // task a: the try/catch around the /etc/hosts read; Deno.args[0] is unknown under the partial grant; task b grants read unscoped
      name: 'a note when the code handles the denial, and silent when the grant is unscoped or the value unknown under a partial grant',
      files: {
        'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-read=./data main.ts', b: 'deno run --allow-read main.ts' } }),
        'main.ts': 'try {\n  await Deno.readTextFile("/etc/hosts");\n} catch {}\nawait Deno.readTextFile(Deno.args[0]!);\n',
      },
      errors: [{ file: 'deno.json', at: '--allow-read=./data', level: 'note', message: 'handles the denial', related: [{ file: 'main.ts', line: 2, column: 9 }] }],
    },
    {
      name: 'unscoped grants needed where only those satisfy (symlink, env enumeration, LD_ in a child env)',
      files: { 'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-read=. --allow-write=. --allow-env=HOME --allow-run=ls main.ts' } }), 'main.ts': symlinkEnvRun },
      errors: [
        { file: 'deno.json', at: '--allow-read=.', level: 'error', message: unscoped(0) },
        { file: 'deno.json', at: '--allow-write=.', level: 'error', message: unscoped(1) },
        { file: 'deno.json', at: '--allow-env=HOME', level: 'error', message: unscoped(2) },
        { file: 'deno.json', at: '--allow-run=ls', level: 'error', message: unscoped(3) },
      ],
    },
    {
      // read and write, one note each, at the program (no grant of either kind to point at)
      name: 'a note for Deno.openKv(path) with a path it cannot fold (undefined opens the default database, which needs nothing)',
      files: { 'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-env --unstable-kv main.ts' } }), 'main.ts': 'const kv = await Deno.openKv(Deno.env.get("KV_PATH"));\nkv.close();\n' },
      errors: [
        { file: 'deno.json', at: 'main.ts', level: 'note', message: only(['`--allow-read`', 'may not need it'], []) },
        { file: 'deno.json', at: 'main.ts', level: 'note', message: only(['`--allow-write`', 'may not need it'], []) },
      ],
    },
    {
      // fetch and process.env give nothing: net and env are not Node kinds
      name: 'Node: fs read for every module it loads and --allow-child-process for child_process',
      files: {
        'package.json': JSON.stringify({ scripts: { start: 'node --permission --allow-fs-read=./data main.mjs' } }),
        'main.mjs': nodeMain,
        'lib.mjs': 'export {};\n',
      },
      errors: [
        { file: 'package.json', at: '--allow-fs-read=./data', level: 'error', message: only([LIB], [MAIN, CHILD]) },
        { file: 'package.json', at: '--allow-fs-read=./data', level: 'error', message: only([MAIN], [LIB, CHILD]) },
        { file: 'package.json', at: 'main.mjs', level: 'error', message: only([CHILD, 'ERR_ACCESS_DENIED'], [MAIN, LIB]) },
      ],
    },
    {
      // tasks b (granted) and d (jsr: under the default import hosts) give none
      name: 'remote imports: --allow-import for a host that is not a default import host, and for jsr: when a list replaces the defaults',
      files: { 'deno.json': imports, 'main.ts': 'import "https://example.com/x.ts";\n', 'jsr.ts': 'import "jsr:@std/path@1";\n' },
      errors: [
        { file: 'deno.json', line: 1, column: imports.indexOf('main.ts') + 1, level: 'error', message: 'needs `--allow-import=example.com:443` for `https://example.com/x.ts` at main.ts:1' },
        { file: 'deno.json', line: 1, column: imports.indexOf('--allow-import=example.com:443 jsr.ts') + 1, level: 'error', message: '`--allow-import=jsr.io:443`' },
      ],
    },
  ],
});
