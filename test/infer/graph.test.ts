import { describe, expect, it } from 'vitest';
import { buildGraphs, inferEntrypoint } from '../../src/infer/index.js';
import { parseTypescript } from '../../src/sources/typescript/parser.js';
import { filesFs } from '../../src/infer/fs.js';
import { parseJsonOrJsonc } from '../../src/infer/graph.js';
import { parse as parseJsonc } from 'jsonc-parser';
import type { Inference } from '../../src/model.js';

function needs(inf: Inference | undefined): string[] {
  return (inf?.needs ?? []).map((n) => `${n.kind}:${n.unscoped ? '*' : (n.value ?? '?')} ${n.span.file}:${n.span.line}`);
}

describe('module graph', () => {
  it('reads JSONC configs (comments, trailing commas) as JSON ones, and a `__proto__` key is a key like any other', async () => {
    const tree = (root: string, member: string) =>
      filesFs({
        'deno.json': root,
        'app/main.ts': 'import "@acme/util";\nimport "logger";\n',
        'app/log.ts': 'Deno.env.get("LOG");\n',
        'pkgs/util/deno.jsonc': member,
        'pkgs/util/mod.ts': 'Deno.env.get("UTIL");\n',
      });
    const plain = await inferEntrypoint('app/main.ts', tree(JSON.stringify({ workspace: ['./pkgs/util'], imports: { logger: './app/log.ts' } }), JSON.stringify({ name: '@acme/util', exports: './mod.ts' })));
    const jsonc = await inferEntrypoint(
      'app/main.ts',
      tree('// the root\n{ "workspace": ["./pkgs/util",], "imports": { "logger": "./app/log.ts", }, }\n', '\ufeff{ /* a member */ "name": "@acme/util", "exports": "./mod.ts" }'),
    );
    expect(plain?.modules.sort()).toEqual(['app/log.ts', 'app/main.ts', 'pkgs/util/mod.ts']);
    expect(jsonc?.modules.sort()).toEqual(plain?.modules.sort());
    // Deno reads `__proto__` as a property name: no import map hides behind it, with or without comments
    for (const root of ['{ "__proto__": { "imports": { "logger": "./app/log.ts" } } }', '// c\n{ "__proto__": { "imports": { "logger": "./app/log.ts" } } }']) {
      const inf = await inferEntrypoint('app/main.ts', tree(root, '{}'));
      expect(inf?.modules).toEqual(['app/main.ts']);
    }
  });

  it('parseJsonOrJsonc: JSON.parse on JSON, and on the rest what jsonc-parser makes of it', () => {
    for (const t of ['{"a":1,"b":[true,null,"x"],"a":2}', '[1,2]', '"s"', '3']) expect(parseJsonOrJsonc(t)).toEqual(JSON.parse(t));
    expect(parseJsonOrJsonc('// c\n{"a":1,/* x */"b":[1,],}')).toEqual({ a: 1, b: [1] });
    expect(parseJsonOrJsonc('{"a":')).toEqual({});
    expect(parseJsonOrJsonc('{"a": 1 "b": 2}')).toEqual(parseJsonc('{"a": 1 "b": 2}', [], { allowTrailingComma: true, disallowComments: false }));
    expect(parseJsonOrJsonc('')).toBeUndefined();
    for (const t of ['{"__proto__": {"x": 1}}', '/**/{"__proto__": {"x": 1}}']) {
      const v = parseJsonOrJsonc(t) as Record<string, unknown>;
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      expect(Object.keys(v)).toEqual(['__proto__']);
      expect(v.x).toBeUndefined();
    }
  });

  it('follows relative imports, .js → .ts, import maps (imports and scopes) and workspace members', async () => {
    const inf = await inferEntrypoint(
      'app/main.ts',
      filesFs({
        'deno.json': JSON.stringify({ workspace: ['./app', './pkgs/util'], imports: { '#cfg/': './app/cfg/' } }),
        'app/deno.json': JSON.stringify({ imports: { 'logger': './log.ts' }, scopes: { './sub/': { logger: './sub/log2.ts' } } }),
        'app/main.ts': 'import "./a.js";\nimport "logger";\nimport "#cfg/x.ts";\nimport "@acme/util";\nimport "./sub/s.ts";\n',
        'app/a.ts': 'Deno.env.get("A");\n',
        'app/log.ts': 'Deno.env.get("LOG");\n',
        'app/sub/s.ts': 'import "logger";\n',
        'app/sub/log2.ts': 'Deno.env.get("LOG2");\n',
        'app/cfg/x.ts': 'Deno.env.get("CFG");\n',
        'pkgs/util/deno.json': JSON.stringify({ name: '@acme/util', exports: './mod.ts' }),
        'pkgs/util/mod.ts': 'Deno.env.get("UTIL");\n',
      }),
    );
    expect(inf?.modules.sort()).toEqual(['app/a.ts', 'app/cfg/x.ts', 'app/log.ts', 'app/main.ts', 'app/sub/log2.ts', 'app/sub/s.ts', 'pkgs/util/mod.ts']);
    expect(needs(inf).sort()).toEqual(['env:A app/a.ts:1', 'env:CFG app/cfg/x.ts:1', 'env:LOG app/log.ts:1', 'env:LOG2 app/sub/log2.ts:1', 'env:UTIL pkgs/util/mod.ts:1']);
  });

  it('joins dynamic import() of a literal, template or concatenation; a variable argument needs read', async () => {
    const inf = await inferEntrypoint(
      'main.ts',
      filesFs({
        'main.ts': 'const name = "b";\nawait import("./a.ts");\nawait import(`./${name}.ts`);\nawait import("./" + "c.ts");\nawait import(Deno.args[0]!);\n',
        'a.ts': 'Deno.hostname();\n',
        'b.ts': 'Deno.osRelease();\n',
        'c.ts': 'Deno.loadavg();\n',
      }),
    );
    expect(inf?.modules.sort()).toEqual(['a.ts', 'b.ts', 'c.ts', 'main.ts']);
    expect(needs(inf).sort()).toEqual(['read:? main.ts:5', 'sys:hostname a.ts:1', 'sys:loadavg c.ts:1', 'sys:osRelease b.ts:1']);
  });

  it('treats npm:/jsr:/https: as external: known pure packages need nothing, others are opaque', async () => {
    const inf = await inferEntrypoint('main.ts', filesFs({ 'main.ts': 'import { join } from "jsr:@std/path@1";\nimport { load } from "jsr:@std/dotenv";\nimport x from "npm:left-pad@1";\n' }));
    expect(inf?.limits.map((l) => `${l.kinds === 'all' ? 'all' : l.kinds.join('+')} ${l.span.line}`)).toEqual(['read+env 2', 'all 3']);
    // jsr: is fetched from jsr.io (a default import host); npm: needs no import grant
    expect(needs(inf)).toEqual(['import:jsr.io:443 main.ts:1', 'import:jsr.io:443 main.ts:2']);
  });

  it('expands a jsr:/npm: import-map entry to its subpaths as deno.json does; new Deno.Command is a call, not the API passed around', async () => {
    const inf = await inferEntrypoint(
      'main.ts',
      filesFs({
        'deno.json': JSON.stringify({ imports: { '@std/fs': 'jsr:@std/fs@^1', '@x/y': 'npm:y@1' } }),
        'main.ts': 'import { walk } from "@std/fs/walk";\nimport "@x/y/sub";\nawait new Deno.Command("git", { args: ["status"] }).output();\n',
      }),
    );
    expect(needs(inf)).toEqual(['import:jsr.io:443 main.ts:1', 'run:git main.ts:3']);
    expect(inf?.limits.map((l) => l.reason)).toEqual(['`@std/fs` uses read, write', 'the dependency `y` is not read (opaque)']);
  });

  it('infers --allow-import from https: imports (static, mapped, folded dynamic), host:port as the module loader checks it', async () => {
    const inf = await inferEntrypoint(
      'main.ts',
      filesFs({
        'deno.json': JSON.stringify({ imports: { lib: 'https://esm.sh/lib@1' } }),
        'main.ts': 'import "https://example.com/a.ts";\nimport "lib";\nconst v = "2";\nawait import(`http://127.0.0.1:4507/m${v}.ts`);\nawait import(Deno.args[0]!);\n',
      }),
    );
    expect(needs(inf)).toEqual(['import:example.com:443 main.ts:1', 'import:esm.sh:443 main.ts:2', 'import:127.0.0.1:4507 main.ts:4', 'read:? main.ts:5']);
    expect(inf?.needs[1]!.implicit).toContain('esm.sh:443 is a default import host');
    // what a remote module imports in turn, and a computed import(), stop claims about import
    expect(inf?.limits.filter((l) => l.kinds !== 'all' && l.kinds.includes('import')).map((l) => l.span.line)).toEqual([1, 5]);
  });
});

describe('values', () => {
  it('folds literals, templates, consts across modules, path.join, new URL(x, import.meta.url), import.meta.dirname and wrapper parameters', async () => {
    const inf = await inferEntrypoint(
      'src/main.ts',
      filesFs({
        'src/main.ts': [
          'import { join } from "node:path";',
          'import * as path from "jsr:@std/path";',
          'import { DATA_DIR, PORT } from "./config.ts";',
          'import { load } from "./io.ts";',
          'await Deno.readTextFile(join(DATA_DIR, "a.json"));',
          'await Deno.readTextFile(new URL("../static/i.html", import.meta.url));',
          'await Deno.readFile(path.join(import.meta.dirname!, "b.bin"));',
          'await load("cfg.toml");',
          'Deno.listen({ port: PORT });',
          'await fetch(`https://api.example.com:8443/v1`);',
          'Deno.env.get("HOME");',
          'await Deno.makeTempDir();',
          'Deno.serve(() => new Response());',
          'new Deno.Command("git", { args: ["status"] });',
        ].join('\n'),
        'src/config.ts': 'export const DATA_DIR = "./data";\nexport const PORT = 9000;\n',
        'src/io.ts': 'export function load(name: string) {\n  return Deno.readTextFile(`./conf/${name}`);\n}\n',
      }),
    );
    expect(needs(inf)).toEqual([
      'import:jsr.io:443 src/main.ts:2',
      'read:data/a.json src/main.ts:5',
      'read:./static/i.html src/main.ts:6',
      'read:./src/b.bin src/main.ts:7',
      'net:0.0.0.0:9000 src/main.ts:9',
      'net:api.example.com:8443 src/main.ts:10',
      'env:HOME src/main.ts:11',
      'write:/tmp src/main.ts:12',
      'net:0.0.0.0:8000 src/main.ts:13',
      'run:git src/main.ts:14',
      'read:./conf/cfg.toml src/main.ts:8',
    ]);
    expect(inf?.needs.find((n) => n.api === 'Deno.serve')?.implicit).toContain('0.0.0.0:8000');
  });

  it('leaves values it cannot know unfolded, and marks needs inside try/catch as guarded', async () => {
    const inf = await inferEntrypoint('main.ts', filesFs({ 'main.ts': 'let p = "a";\np = Deno.args[0]!;\ntry { await Deno.readTextFile(p); } catch { /* NotCapable */ }\nawait fetch(Deno.env.get("URL")!);\n' }));
    expect(inf?.needs.map((n) => `${n.kind}:${n.value ?? '?'}${n.guarded ? ' guarded' : ''}`)).toEqual(['read:? guarded', 'net:?', 'env:URL']);
  });

  it('reads node: APIs under Deno: fs, child_process (env inherited), os, process.env', async () => {
    const inf = await inferEntrypoint(
      'main.mjs',
      filesFs({
        'main.mjs': 'import fs from "node:fs";\nimport { execFileSync } from "node:child_process";\nimport os from "node:os";\nfs.readFileSync("./a.txt");\nexecFileSync("ls", ["-l"]);\nos.hostname();\nprocess.env.TOKEN;\nconsole.log({ ...process.env });\n',
      }),
    );
    expect(needs(inf)).toEqual(['read:./a.txt main.mjs:4', 'run:ls main.mjs:5', 'env:* main.mjs:5', 'sys:hostname main.mjs:6', 'env:TOKEN main.mjs:7', 'env:* main.mjs:8']);
  });

  it('parses modules in the parser thread: a module too deep for a native parser on the main thread is a limit, not a crash', async () => {
    const chain = `if (a) {}${' else if (a) {}'.repeat(30_000)}\n`;
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)};\n`;
    const inf = await inferEntrypoint('main.ts', filesFs({ 'main.ts': 'import "./chain.ts";\nimport "./deep.ts";\nDeno.env.get("A");\n', 'chain.ts': chain, 'deep.ts': deep }));
    expect(needs(inf)).toEqual(['env:A main.ts:3']);
    expect(inf?.limits.map((l) => l.reason)).toEqual([expect.stringContaining('deep.ts does not parse: brackets nested more than 1000 deep')]);
  });

  it('parses a module two graphs of one run reach once; each graph keeps its own needs and limits', async () => {
    const fs = filesFs({
      'a.ts': 'import { read } from "./lib.ts";\nread("a.txt");\n',
      'b.ts': 'import { read } from "./lib.ts";\nread("b.txt");\nimport "./broken.ts";\n',
      'lib.ts': 'export function read(p: string) {\n  return Deno.readTextFileSync(p);\n}\nDeno.env.get("LIB");\n',
      'broken.ts': 'let = ;\n',
    });
    const parsed: string[] = [];
    const parse = (path: string, text: string) => {
      parsed.push(path);
      return parseTypescript(path, text);
    };
    const [a, b, again] = await buildGraphs(fs, [{ runtime: 'deno', entry: 'a.ts' }, { runtime: 'deno', entry: 'b.ts' }, { runtime: 'node', entry: 'b.ts' }], parse);
    expect(parsed).toEqual(['a.ts', 'lib.ts', 'b.ts', 'broken.ts']);
    const brief = (g: typeof a) => g!.needs.map((n) => `${n.kind}:${n.value ?? '?'} ${n.span.file}:${n.span.line}`);
    expect(brief(a)).toEqual(['read:a.txt a.ts:2', 'env:LIB lib.ts:4']);
    expect(brief(b)).toEqual(['read:b.txt b.ts:2', 'env:LIB lib.ts:4']);
    expect(brief(again)).toEqual(brief(b));
    expect(a!.limits).toEqual([]);
    expect(b!.limits.map((l) => l.reason)).toEqual([expect.stringContaining('broken.ts does not parse')]);
    expect(again!.limits).toEqual(b!.limits);
    expect([...b!.modules.keys()]).toEqual(['b.ts', 'lib.ts', 'broken.ts']);
    expect(b!.modules.get('lib.ts')).toEqual({ file: 'lib.ts', line: 1, column: 1, endLine: 1, endColumn: 1 });
  });
});
