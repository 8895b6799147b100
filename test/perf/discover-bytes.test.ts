/**
 * Discovery decides most modules on their bytes (src/discover.ts `record`): an ASCII file its
 * source's sniff rules out is never decoded. These tests hold that path to the text path it
 * stands for — the same files, kinds, texts and ruled-out records — on hostile inputs, and hold
 * the byte pre-check of the TypeScript sniff to the sniff (it may say "maybe", never "no" where
 * the sniff says yes).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, type DiscoverResult } from '../../src/discover.js';
import { memoryFs } from '../../src/fs.js';
import { mayMatchUtf8, sniff, sniffByPatterns } from '../../src/sources/typescript/sniff.js';
import { mayHoldDirectives } from '../../src/suppress.js';

const BLANKS = [' ', '\t', '\n', '\r\n', '\v', '\f', '  \t '];
/** Blanks to `\s` outside ASCII (no-break space, line separator, BOM, ideographic space, Ogham space mark). */
const UNICODE_BLANKS = ['\u00a0', '\u2028', '\ufeff', '\u3000', '\u1680', ' \u00a0\t'];

/** Texts the sniff takes: every pattern, with the blanks `\s` allows where it allows them. */
function positives(blanks = BLANKS): string[] {
  const out: string[] = [];
  for (const b of blanks) {
    out.push(
      `import { spawn } from${b}'node:child_process';`,
      `const { spawn } = require(${b}"child_process");`,
      `import x from 'jsr:@deno/sandbox@1';`,
      `export * from "npm:@netscript/plugin-workers-core@2/builders";`,
      `import $ from "jsr:@david/dax";`,
      `import $ from "npm:dax-sh";`,
      `import $ from "https://deno.land/x/dax@0.39.2/mod.ts";`,
      `import /* why */ x from 'node:child_process';`,
      `import // why\nx from 'node:child_process';`,
      `Deno${b}.${b}run${b}({ cmd: ['x'] });`,
      `new${b}Deno${b}.${b}Command${b}('deno');`,
      `new Deno${b}[${b}"Command"${b}]('deno');`,
      `new Deno.Command<string>('deno');`,
      `defineTask${b}({});`,
      `await Sandbox${b}.${b}create${b}({});`,
      `const w = new${b}Worker${b}(url, { deno: { permissions: 'none' } });`,
      `import { t } from '../tasks.ts';\nt${b}.${b}permissions${b}({ read: true });`,
      `import { t } from "./tasks.ts";\nt.entrypoint${b}('x');`,
      `import { run } from './run.ts';\nspawnSync${b}('deno');`,
      `import { run } from './run.ts';\nexecFileSync${b}('deno');`,
      `import { run } from './run.ts';\nexecSync${b}('deno');`,
      `import { run } from './run.ts';\nfork${b}('x');`,
      `import type { TaskConfig } from './types.ts';`,
      `export${b}*${b}from${b}'./mod.ts';`,
      `export${b}{ a as b }${b}from${b}"../a.ts";`,
      `export${b}type${b}{ A } from './a.ts';`,
      `export * as ns from \`./ns.ts\`;`,
      `const m = await import${b}('./lazy.ts');\nspawn('x');`,
    );
  }
  return out;
}

/** A small seeded generator of texts made of the words the patterns are made of. */
function generated(n: number, more: string[] = []): string[] {
  const parts = [
    ...more,
    'import', 'from', 'require(', 'export', 'type', '*', '{ a }', ' as ', 'Deno', '.', 'run', 'Command', '[', ']', '"Command"',
    'new ', 'Worker', 'permissions', 'entrypoint', 'spawn', 'exec', 'Sync', 'File', 'fork', 'TaskConfig', 'defineTask',
    'Sandbox', 'create', '(', '<', "'", '"', '`', './', '../', 'child_process', 'node:', 'npm:', 'jsr:', '@deno/sandbox',
    'dax', '-sh', '@david/', ' ', '\t', '\n', '/* c */', '// c\n', ';', 'x', '$', '_',
  ];
  let seed = 13;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let t = '';
    const len = 2 + Math.floor(next() * 24);
    for (let k = 0; k < len; k++) t += parts[Math.floor(next() * parts.length)];
    out.push(t);
  }
  return out;
}

describe('the TypeScript sniff on bytes', () => {
  it('says maybe wherever the sniff says yes', () => {
    const texts = [...positives(), ...generated(5_000)];
    let taken = 0;
    for (const t of texts) {
      if (!sniff(t)) continue;
      taken++;
      expect(mayMatchUtf8(Buffer.from(t, 'latin1')), t).toBe(true);
      expect(mayMatchUtf8(new TextEncoder().encode(t)), t).toBe(true);
    }
    expect(taken).toBeGreaterThan(positives().length);
  });

  it('says maybe wherever the sniff says yes, on the UTF-8 of texts outside ASCII', () => {
    const texts = [...positives(UNICODE_BLANKS), ...generated(5_000, ['é', '\u00a0', '\u3000', '😀', '\u2028', 'ı'])];
    let taken = 0;
    for (const t of texts) {
      if (!sniff(t)) continue;
      taken++;
      expect(mayMatchUtf8(new TextEncoder().encode(t)), t).toBe(true);
    }
    expect(taken).toBeGreaterThan(positives(UNICODE_BLANKS).length);
  });

  it('the sniff skips only patterns whose words the text lacks: the same answers as its patterns alone', () => {
    const texts = [...positives(), ...positives(UNICODE_BLANKS), ...generated(20_000, ['é', '\u00a0', '😀', '-workers-core', '@netscript/plugin-workers-core', 'x/dax', 'https://deno.land/x/dax', 'dax-sh', 'Worker', 'new Worker(', 'permissions'])];
    let yes = 0;
    for (const t of texts) {
      const want = sniffByPatterns(t);
      if (want) yes++;
      expect(sniff(t), t).toBe(want);
    }
    // (both answers are well represented)
    expect(yes).toBeGreaterThan(400);
    expect(texts.length - yes).toBeGreaterThan(10_000);
  });

  it('says no for modules that name none of the words (most of a repository)', () => {
    for (const t of [
      'export const add = (a: number, b: number) => a + b;\n',
      'import { assertEquals } from "@std/assert";\nDeno.test("x", () => assertEquals(1, 1));\n',
      'import { join } from "./path.ts";\nexport function f() { return join("a", "b"); }\n',
      '// Deno.env, exported: not a call\nexport const workers = [Deno.pid];\n',
    ]) {
      expect(mayMatchUtf8(Buffer.from(t)), t).toBe(false);
      expect(sniff(t)).toBe(false);
    }
  });
});

function tree(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-bytes-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

/** What the scan gets of each file (abs paths aside). */
const shape = (r: DiscoverResult) => ({
  files: r.files.map((f) => ({ path: f.path, kind: f.kind, text: f.text, ruledOut: f.ruledOut })),
  skipped: r.skipped,
  secretFiles: r.secretFiles,
});

const HOSTILE: Record<string, string | Uint8Array> = {
  'mod.ts': 'export const a = 1;\n',
  'empty.ts': '',
  'kept.ts': "import { spawn } from 'node:child_process';\nspawn('deno', ['run', 'x.ts']);\n",
  'maybe.ts': 'export * from "./mod.ts";\n',
  'reexport-not.ts': 'import { a } from "./mod.ts";\nexport const b = a;\n',
  'accent.ts': 'export const café = "é";\n',
  'emoji.ts': 'export const e = "😀 € é";\n',
  'nbsp-call.ts': 'Deno\u00a0.run({ cmd: ["x"] }); // ©\n',
  'ideographic-export.ts': 'export\u3000* from "./mod.ts"; // ©\n',
  'gen/utf8-header.ts': '// © the authors — Code generated by ./gen.ts. DO NOT EDIT.\nexport const a = "é";\n',
  'gen/utf8-edge2.ts': `${'é'.repeat(580)}\n// @generated by ./x.ts\n`,
  'gen/utf8-edge3.ts': `${'€'.repeat(580)}\n// @generated by ./x.ts\n`,
  'gen/utf8-edge4.ts': `${'😀'.repeat(290)}\n// @generated by ./x.ts\n`,
  'gen/utf8-cut.ts': `${'😀'.repeat(299)}x@generated\n${'€'.repeat(900)}\n`,
  'invalid-utf8.ts': Buffer.concat([Buffer.from('export const a = "'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('";\n')]),
  'latin1-looks.ts': Buffer.from([0x65, 0x78, 0x70, 0x6f, 0x72, 0x74, 0x20, 0xe9, 0x0a]),
  'utf16.ts': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('export const a = 1;\n', 'utf16le')]),
  'utf16be.ts': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('export const a = 1;\n', 'utf16le').swap16()]),
  'bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('export const a = 1;\n')]),
  'nul.ts': 'export const a = "\0";\n',
  'directive.ts': '// permlint-ignore some-rule -- reason\nexport const a = 1;\n',
  'annotation.js': '// permlint.dev/ignore\nexport const a = 1;\n',
  'gen/header.ts': '// Code generated by ./gen.ts. DO NOT EDIT.\nexport const a = 1;\n',
  'gen/late-header.ts': `${'// filler\n'.repeat(70)}// @generated\nexport const a = 1;\n`,
  'gen/edge-header.ts': `${'x'.repeat(592)}\n// @generated by ./x.ts\n`,
  'gen/mixed-case.ts': '// This file is AUTO-GeNeRaTeD by ./x.ts\nexport const a = 1;\n',
  'gen/word-cut.ts': `${'x'.repeat(593)}\n@generated\n`,
  'gen/word-fits.ts': `${'x'.repeat(588)}\n@generated\n`,
  'gen/utf8-mixed.ts': '// © Auto-Generated by ./x.ts\nexport const a = "é";\n',
  'lib/api.generated.ts': '// Code generated by ./make.ts. DO NOT EDIT.\nexport const a = 1;\n',
  'lib/plain.generated.ts': 'export const a = 1;\n',
  'types.d.ts': "import { spawn } from 'node:child_process';\n",
  'tools/run.js': '#!/usr/bin/env -S deno run -A\nexport {};\n',
  'big.ts': `export const big = [\n${'  "a line of a large module that the sniff rules out",\n'.repeat(3000)}];\n`,
  'huge.ts': `export const huge = "${'x'.repeat(300 * 1024)}";\n`,
  'deno.json': '{ "tasks": { "a": "deno run -A main.ts" } }\n',
  'package.json': `{ "scripts": { "a": "node a.js" }, "pad": "${'p'.repeat(70 * 1024)}" }\n`,
  'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\n',
  '.env': 'SECRET=1\n',
};

describe('discovery on bytes', () => {
  it('gives what the text path gives: files, kinds, texts, ruled-out records (digest, length, role), skips', () => {
    const dir = tree(HOSTILE);
    const outside = tree({ 'x.ts': 'export const x = 1;\n' });
    symlinkSync(join(outside, 'x.ts'), join(dir, 'link-out.ts'));
    symlinkSync(join(dir, 'mod.ts'), join(dir, 'link-in.ts'));
    const opts = { maxFileBytes: 256 * 1024 };
    const onBytes = discover(['.'], { ...opts, keepText: mayHoldDirectives }, dir);
    // the same test without its words: every text is decoded and asked
    const onText = discover(['.'], { ...opts, keepText: (t: string) => mayHoldDirectives(t) }, dir);
    expect(shape(onBytes)).toEqual(shape(onText));
    // and from memory, where no read borrows a buffer
    const inMemory = discover(['.'], { ...opts, fs: memoryFs(HOSTILE, { symlinks: { 'link-in.ts': 'mod.ts' } }), keepText: mayHoldDirectives }, '/');
    expect(shape(inMemory).files).toEqual(shape(onBytes).files);

    const by = new Map(onBytes.files.map((f) => [f.path, f]));
    expect([...by.keys()]).toEqual([
      'accent.ts', 'annotation.js', 'big.ts', 'bom.ts', 'deno.json', 'directive.ts', 'emoji.ts', 'gen/edge-header.ts', 'gen/header.ts', 'gen/late-header.ts',
      'gen/mixed-case.ts', 'gen/utf8-cut.ts', 'gen/utf8-edge2.ts', 'gen/utf8-edge3.ts', 'gen/utf8-edge4.ts', 'gen/utf8-header.ts', 'gen/utf8-mixed.ts',
      'gen/word-cut.ts', 'gen/word-fits.ts', 'ideographic-export.ts',
      'invalid-utf8.ts', 'k8s/pod.yaml', 'kept.ts', 'latin1-looks.ts', 'lib/api.generated.ts', 'lib/plain.generated.ts', 'link-in.ts', 'maybe.ts', 'mod.ts', 'nbsp-call.ts', 'nul.ts', 'package.json',
      'reexport-not.ts', 'tools/run.js', 'types.d.ts', 'utf16.ts', 'utf16be.ts',
    ]);
    expect(onBytes.skipped).toEqual([
      { path: 'huge.ts', reason: 'TypeScript/JavaScript file larger than the 256 KiB limit; not read' },
      { path: 'link-out.ts', reason: 'symbolic link that points outside the scan root (not followed)' },
    ]);
    expect(onBytes.secretFiles).toEqual(['.env']);
    const ruledOut = (p: string) => by.get(p)!.ruledOut;
    expect(ruledOut('mod.ts')).toMatchObject({ length: HOSTILE['mod.ts']!.length, role: { role: 'production' } });
    expect(ruledOut('big.ts')!.length).toBe((HOSTILE['big.ts'] as string).length);
    expect(ruledOut('gen/header.ts')!.role).toEqual({ role: 'generated', reason: 'a generated-file header', generator: 'gen/gen.ts' });
    expect(ruledOut('gen/late-header.ts')!.role.role).toBe('production'); // past the first lines
    // the header's word in any case, only within the first 600 characters; a file generated by its name takes its generator from the header
    expect(ruledOut('gen/mixed-case.ts')!.role).toEqual({ role: 'generated', reason: 'a generated-file header', generator: 'gen/x.ts' });
    expect(ruledOut('gen/utf8-mixed.ts')!.role).toEqual({ role: 'generated', reason: 'a generated-file header', generator: 'gen/x.ts' });
    expect(ruledOut('gen/word-fits.ts')!.role.role).toBe('generated');
    expect(ruledOut('gen/word-cut.ts')!.role.role).toBe('production'); // `generated` ends past the 600th character
    expect(ruledOut('lib/api.generated.ts')!.role).toMatchObject({ role: 'generated', generator: 'lib/make.ts' });
    expect(ruledOut('lib/plain.generated.ts')!.role).toEqual({ role: 'generated', reason: '`plain.generated.ts` is named as generated' });
    expect(ruledOut('reexport-not.ts')).toBeDefined();
    expect(ruledOut('types.d.ts')).toBeDefined();
    expect(ruledOut('accent.ts')!.length).toBe((HOSTILE['accent.ts'] as string).length);
    // UTF-8 outside ASCII, decided on the bytes: the text's length in UTF-16 units, the role from its first characters
    expect(ruledOut('emoji.ts')!.length).toBe((HOSTILE['emoji.ts'] as string).length);
    expect(ruledOut('gen/utf8-header.ts')!.role).toEqual({ role: 'generated', reason: 'a generated-file header', generator: 'gen/gen.ts' });
    for (const g of ['gen/utf8-edge2.ts', 'gen/utf8-edge3.ts', 'gen/utf8-edge4.ts']) expect(ruledOut(g)!.role, g).toMatchObject({ role: 'generated' });
    expect(ruledOut('gen/utf8-cut.ts')!.role.role).toBe('production'); // `@generated` starts at the 600th character
    for (const kept of ['nbsp-call.ts', 'ideographic-export.ts']) expect(by.get(kept)!.text, kept).toBeDefined();
    for (const kept of ['kept.ts', 'maybe.ts', 'nul.ts', 'directive.ts', 'annotation.js', 'deno.json', 'package.json']) expect(by.get(kept)!.text, kept).toBeDefined();
    expect(by.get('tools/run.js')!.kind).toBe('shebang');
  });

  it('a ruled-out file changed after discovery gives no text when asked again', async () => {
    const files = { 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 2;\n' };
    const dir = tree(files);
    const r = discover(['.'], { keepText: mayHoldDirectives }, dir);
    expect(r.files.every((f) => f.ruledOut !== undefined)).toBe(true);
    const { scan } = await import('../../src/scan.js');
    const s = await scan(r.files);
    // the same length, another byte
    writeFileSync(join(dir, 'a.ts'), 'export const a = 2;\n');
    expect(s.files.get('a.ts')).toBeUndefined();
    expect([...s.files.changed]).toEqual(['a.ts']);
    expect(s.files.get('b.ts')).toBe(files['b.ts']);
  });
});
