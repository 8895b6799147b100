/**
 * The oxc-parser host: UTF-16 columns after non-ASCII text, module and CommonJS code, inputs that
 * would overflow the native stack on the main thread, and the sniff's shapes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, ROOT, brief, lintDir } from '../helpers.js';
import { sniff } from '../../src/sources/typescript/index.js';
import { moduleOnly } from '../../src/sources/typescript/sniff.js';
import { nestingBeyond } from '../../src/sources/typescript/parser.js';

const dir = mkdtempSync(join(tmpdir(), 'permlint-oxc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 1-based `line:column` of `token` in `text`, columns in UTF-16 code units (what the report promises). */
function at(text: string, token: string): string {
  const i = text.indexOf(token);
  const before = text.slice(0, i);
  const line = before.split('\n').length;
  return `${line}:${i - before.lastIndexOf('\n')}`;
}

describe('oxc-parser positions', () => {
  it('columns are UTF-16 after accents, CJK and astral characters on the same line', async () => {
    const sub = mkdtempSync(join(dir, 'utf16-'));
    const text = "const note = 'héllo 世界 😀😀'; const own = new Worker('./w.ts', { type: 'module', deno: { permissions: { net: true } } });\n";
    writeFileSync(join(sub, 'main.ts'), text);
    const { findings } = await lintDir(sub);
    const f = findings.find((x) => x.ruleId === 'unscoped-grant');
    expect(f).toBeDefined();
    expect(`${f!.span.line}:${f!.span.column}`).toBe(at(text, 'net: true'));
    expect(f!.span.endColumn).toBe(f!.span.column + 'net: true'.length);
  });

  it('reads top-level await in a module and top-level return in CommonJS', async () => {
    const sub = mkdtempSync(join(dir, 'kinds-'));
    const tla = "for await (const x of xs) {}\nconst c = new Deno.Command('deno', { args: ['run', '-A', 'x.ts'] });\n";
    writeFileSync(join(sub, 'tla.ts'), tla);
    const cjs = "const cp = require('child_process');\nif (process.env.SKIP) return;\ncp.spawn('deno', ['run', '-A', 'y.ts']);\n";
    writeFileSync(join(sub, 'cjs.js'), cjs);
    const { findings } = await lintDir(sub);
    expect(brief(findings).filter((b) => b.startsWith('allow-all'))).toEqual([`allow-all cjs.js:${at(cjs, '-A')} warning`, `allow-all tla.ts:${at(tla, '-A')} warning`]);
  });
});

describe('inputs that overflow a native stack', () => {
  it('brackets nested past the limit are a parse-error without parsing; an else-if chain of 30,000 parses in the parser thread', async () => {
    const sub = mkdtempSync(join(dir, 'deep-'));
    writeFileSync(join(sub, 'brackets.ts'), `import { spawn } from 'node:child_process';\nconst x = ${'('.repeat(50_000)}1${')'.repeat(50_000)};\n`);
    // about 20,000 levels of this shape kill a process that parses it on an 8 MB main-thread stack
    const chain = `import { spawn } from 'node:child_process';\nlet v = 0;\nif (v === 0) v = 1;\n${'else if (v === 1) v = 2;\n'.repeat(30_000)}spawn('deno', ['run', '-A', 'z.ts']);\n`;
    writeFileSync(join(sub, 'chain.ts'), chain);
    const { findings, model } = await lintDir(sub);
    // a sniffed file the parser refuses is skipped and listed (--verbose), not a parse-error
    expect(brief(findings)).toEqual([`allow-all chain.ts:${at(chain, '-A')} warning`]);
    expect(model.unscanned?.map((u) => u.path)).toEqual(['brackets.ts']);
    expect(model.unscanned![0]!.reason).toContain('nested more than 1000 deep');
    expect(model.unscanned![0]!.reason).toContain('from line 2');
  });

  it('counts bracket depth over the raw text', () => {
    expect(nestingBeyond('(((())))', 3)).toBe(3);
    expect(nestingBeyond('((()))((()))', 3)).toBe(-1);
    expect(nestingBeyond(')))(((', 3)).toBe(-1);
    expect(nestingBeyond('{[(é😀)]}x{[(', 3)).toBe(-1);
    expect(nestingBeyond('a{b[c(d{', 3)).toBe(7);
    // against the plain definition, on random texts of brackets, letters and units outside ASCII
    const reference = (text: string, limit: number) => {
      let depth = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text[i]!;
        if ('([{'.includes(c)) {
          if (++depth > limit) return i;
        } else if (')]}'.includes(c) && depth > 0) depth--;
      }
      return -1;
    };
    const units = ['(', ')', '[', ']', '{', '}', 'a', ' ', 'é', '\u0128', '\u2028', '\ud83d', '\ude00', '\uff08', '\u0029'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let k = 0; k < 2000; k++) {
      let t = '';
      for (let j = rnd(60); j > 0; j--) t += units[rnd(units.length)];
      for (const limit of [0, 1, 3, 8]) expect(nestingBeyond(t, limit), JSON.stringify(t)).toBe(reference(t, limit));
    }
  });
});

describe('the sniff reads shapes, not words', () => {
  it('selects import specifiers of the APIs, the global constructors and API calls through a local module', () => {
    expect(sniff('import { Sandbox } from "jsr:@deno/sandbox@^1";')).toBe(true);
    expect(sniff("const { spawn } = require('child_process');")).toBe(true);
    expect(sniff("export * from 'npm:@netscript/plugin-workers-core@2/builders';")).toBe(true);
    expect(sniff("const w = new Worker(url, { type: 'module', deno: { permissions: 'none' } });")).toBe(true);
    expect(sniff('const opts = { deno: { permissions: { net: true } } };\nconst w = new Worker(url, opts);')).toBe(true);
    expect(sniff('const c = new  Deno . Command ("x");')).toBe(true);
    expect(sniff("import { task } from './lib/workers.ts';\ntask('a').entrypoint('./a.ts').build();")).toBe(true);
    expect(sniff("import { run } from '../util.ts';\nrun(); spawn('x');")).toBe(true);
    expect(sniff("export { defineTask as task } from './deps.ts';")).toBe(true);
  });

  it('does not select words in comments and prose, or the same calls without any import that could bind them', () => {
    expect(sniff('// we spawn a Worker here and fork the Deno.Command child_process\nexport const x = 1;')).toBe(false);
    expect(sniff('/** Sandbox, defineTask and permissions are described in the docs. */')).toBe(false);
    expect(sniff("import { join } from 'node:path';\nconst re = /x/; re.exec('y'); spawn('z');")).toBe(false);
    expect(sniff('const worker = new Workers(); const deno = Deno.CommandLine;')).toBe(false);
    // a Worker adds to the model only through `deno: { permissions }`, resolved within its file
    expect(sniff("const w = new Worker(new URL('./w.ts', import.meta.url), { type: 'module' });")).toBe(false);
    expect(sniff('const w = new Worker(url, opts);')).toBe(false);
  });

  it('reads an API specifier only where a module specifier goes: after from, import, import( or require(', () => {
    expect(sniff("import cp from 'node:child_process';")).toBe(true);
    expect(sniff("import 'npm:@deno/sandbox';")).toBe(true);
    expect(sniff('const cp = await import(\n  "node:child_process"\n);')).toBe(true);
    expect(sniff("import cp = require('child_process');")).toBe(true);
    expect(sniff("const { execFile } = require ( 'child_process' );")).toBe(true);
    expect(sniff("export { spawn } from /* the real one */ 'node:child_process';")).toBe(true);
    expect(sniff("import { $ } from // dax\n  'jsr:@david/dax@0.39';")).toBe(true);
    expect(sniff('import{spawn}from"child_process"')).toBe(true);
    // the same names in any other string bind nothing (denoland/deno: a table of built-in modules,
    // a diagnostics channel, a lazy loader, prose in a comment)
    expect(sniff('const builtins = {\n  "child_process": () => load("ext:deno_node/child_process.ts"),\n};')).toBe(false);
    expect(sniff('const channel = createDiagnosticsChannel("child_process");')).toBe(false);
    expect(sniff('const lazy = core.createLazyLoader("node:child_process");')).toBe(false);
    expect(sniff("// This module implements 'child_process' module of Node.JS API.\nexport function spawn() {}")).toBe(false);
    expect(sniff('throw new Error(`use "@deno/sandbox" from jsr`);')).toBe(false);
    expect(sniff('const spec = "npm:dax-sh"; load(spec);')).toBe(false);
  });
});

describe('modules that only re-export are told apart (analysed when an importer asks for them)', () => {
  it('accepts re-exports and comments, each statement ended as JavaScript allows', () => {
    expect(moduleOnly('mod.ts', '// Copyright\n/** The module. */\nexport * from "./a.ts";\nexport * from "./b.ts";\n')).toBe(true);
    expect(moduleOnly('mod.ts', "export { a as b, c, } from './x.ts'\nexport * as ns from './n.ts' // the rest\n")).toBe(true);
    expect(moduleOnly('mod.ts', "export type * from './types.ts';\nexport { type A, b } from './m.ts';\nexport type { C } from './c.ts';")).toBe(true);
    expect(moduleOnly('index.js', "export { default, if as when } from './x.js';\r\nexport*from'./y.js'")).toBe(true);
    expect(moduleOnly('cp.mjs', "export { spawn } from 'node:child_process';")).toBe(true);
  });

  it('refuses anything else: code, imports, statements on one line without `;`, forms that do not parse', () => {
    expect(moduleOnly('mod.ts', "export * from './a.ts';\nspawn('x');")).toBe(false);
    expect(moduleOnly('mod.ts', "import { a } from './a.ts';\nexport { a };")).toBe(false);
    expect(moduleOnly('mod.ts', "export const x = 1;\nexport * from './a.ts';")).toBe(false);
    expect(moduleOnly('mod.ts', "export * from './a.ts' export * from './b.ts'")).toBe(false);
    expect(moduleOnly('mod.ts', "export * from './a.ts' /* c */ export * from './b.ts'")).toBe(false);
    // a line comment ends at any line terminator: what follows U+2028 is code
    expect(moduleOnly('mod.ts', "export * from './a.ts'; // c\u2028spawn('x')")).toBe(false);
    expect(moduleOnly('mod.ts', "export * from './a.ts'; /* unclosed")).toBe(false);
    expect(moduleOnly('mod.ts', "exporttype { A } from './a.ts';")).toBe(false);
    expect(moduleOnly('mod.ts', "export * as xfrom './a.ts';")).toBe(false);
    // oxc refuses these: a name exported twice, `type` twice, `export type` in JavaScript
    expect(moduleOnly('mod.js', "export { a } from './a.js';\nexport { b as a } from './b.js';")).toBe(false);
    expect(moduleOnly('mod.ts', "export type { type A } from './a.ts';")).toBe(false);
    expect(moduleOnly('mod.js', "export type { A } from './a.js';")).toBe(false);
    // CommonJS, comments only, and files past the size of a barrel
    expect(moduleOnly('mod.cjs', "export * from './a.js';")).toBe(false);
    expect(moduleOnly('mod.ts', '// nothing here\n')).toBe(false);
    expect(moduleOnly('mod.ts', `${'// x\n'.repeat(20000)}export * from './a.ts';`)).toBe(false);
  });
});

describe('under Node\'s permission model', () => {
  it('without --allow-worker the candidate files are skipped with what the parser needs, and the rest of the scan goes on', () => {
    const r = spawnSync(process.execPath, ['--experimental-permission', `--allow-fs-read=${ROOT}/`, BIN, '--format', 'json', '--persona', 'auditor', '.'], {
      cwd: join(FIXTURES, 'ts-worker'),
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(0); // no error left: the deno.json findings are development-context warnings
    const doc = JSON.parse(r.stdout) as { findings: { rule: string; file: string; message: string }[]; skipped: { path: string; reason: string }[] };
    const findings = doc.findings;
    expect(findings.some((f) => f.rule === 'parse-error')).toBe(false);
    expect(doc.skipped.map((s) => s.path).sort()).toEqual(['main.ts', 'node-worker.mjs', 'scoped.ts', 'server.ts']);
    expect(doc.skipped[0]!.reason).toContain('--allow-worker and --allow-addons');
    expect(findings.some((f) => f.rule === 'allow-all' && f.file === 'deno.json')).toBe(true);
  });
});
