/**
 * oxc's raw transfer (src/sources/typescript/raw.ts), which the parser thread uses instead of oxc's
 * JSON: it must be active on this platform (else the thread silently pays for JSON) and give the
 * tree and the first error the JSON path gives. Small inputs only: the native parse runs on this
 * test's own thread, whose stack is the ordinary one.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { BIN, removeFixtureCopies, scratchDir } from '../helpers.js';

afterAll(removeFixtureCopies);
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TSESTree } from '@typescript-eslint/types';
import { RAW_MAX_CHARS, parseRaw, rawTransferActive } from '../../src/sources/typescript/raw.js';
import { slimDeserializer } from '../../src/sources/typescript/slim.js';

const { parseSync } = createRequire(import.meta.url)('oxc-parser') as {
  parseSync(path: string, text: string, options: object): { program: unknown; errors: { message: string; labels: { start: number }[] }[] };
};

/** JSON of a tree as compared: BigInt and RegExp values as text; an identifier's empty TypeScript fields left out. */
function plain(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof RegExp) return String(v);
  if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Identifier') {
    const { decorators, optional, typeAnnotation, ...rest } = v as Record<string, unknown>;
    return { ...rest, ...(Array.isArray(decorators) && decorators.length ? { decorators } : {}), ...(optional ? { optional } : {}), ...(typeAnnotation ? { typeAnnotation } : {}) };
  }
  return v;
}

function viaJson(path: string, text: string, lang: string, sourceType: string) {
  const r = parseSync(path, text, { lang, sourceType, astType: 'ts', range: false, preserveParens: false });
  return r.errors.length ? { error: { code: 'ts-syntax', detail: r.errors[0]!.message, offset: r.errors[0]!.labels[0]?.start ?? 0 } } : { program: r.program };
}

const SOURCES: [string, string, string][] = [
  ['a.ts', 'ts', 'import { x } from "./x.ts";\nconst c = new Deno.Command("deno", { args: ["run", `--allow-read=${x}`, "m.ts"] });\nexport default <T,>(a: T): T => a;\n'],
  ['b.js', 'js', 'const re = /a(?<n>b)/gu; const big = 12345678901234567890n; spawn("node", ["--permission", "a.js"]); // é ✓\n'],
  ['c.tsx', 'tsx', 'export function A() { return <div title="x">{"😀" + 1}</div>; }\n'],
  ['d.ts', 'ts', 'const = ;\n'],
];

describe('oxc raw transfer', () => {
  it('is active on this platform', () => {
    expect(rawTransferActive()).toBe(true);
  });

  it('its 6 GiB buffer makes V8 collect nothing: a SharedArrayBuffer is not counted as external memory', () => {
    // (an ArrayBuffer that size made the parser thread run a full, memory-reducing collection at its first parse)
    const dir = scratchDir();
    writeFileSync(join(dir, 'spawn.ts'), 'await new Deno.Command("deno", { args: ["run", "-A", "x.ts"] }).output();\n');
    const r = spawnSync(process.execPath, ['--trace-gc', BIN, '--persona', 'auditor', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    // the parser thread read the file (the finding is the TypeScript analysis'), and V8 traced its collections
    expect(r.stdout).toContain('"rule": "allow-all"');
    expect(r.stdout).toContain('"file": "spawn.ts"');
    expect(r.stdout).toMatch(/Scavenge/);
    expect(r.stdout).not.toContain('external memory pressure');
  });

  it.each(SOURCES)('%s: the same tree (or the same first error) as the JSON path, but for the empty TypeScript fields of identifiers', (path, lang, text) => {
    const raw = parseRaw(path, text, lang, ['module']);
    expect(raw).toBeDefined();
    expect(JSON.parse(JSON.stringify(raw, plain))).toEqual(JSON.parse(JSON.stringify(viaJson(path, text, lang, 'module'), plain)));
  });

  it('the deserializer without the empty TypeScript fields of identifiers (the installed oxc writes it as slim.ts expects)', async () => {
    const source = readFileSync(fileURLToPath(import.meta.resolve('oxc-parser/src-js/generated/deserialize/ts.js')), 'utf8');
    const slim = slimDeserializer(source);
    expect(slim).toBeDefined();
    // the slim module, with this thread's buffer: parseRaw's tree but for those fields
    const slimTs = (await import(`data:text/javascript;base64,${Buffer.from(slim!).toString('base64')}`)) as { deserialize: unknown };
    const text = 'const a: T = b;\nfunction f(p: string, q) { return a.c(p, q); }\n';
    const full = parseRaw('e.ts', text, 'ts', ['module']) as { program: TSESTree.Program };
    const raw = parseRaw('e.ts', text, 'ts', ['module'], slimTs as never) as { program: TSESTree.Program };
    expect(JSON.parse(JSON.stringify(raw, plain))).toEqual(JSON.parse(JSON.stringify(full, plain)));
    const ids: Record<string, unknown>[] = [];
    JSON.stringify(raw.program, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Identifier' && ids.push(v as Record<string, unknown>), v));
    const fields = (n: Record<string, unknown>) => `${String(n.name)}:${['decorators', 'optional', 'typeAnnotation'].filter((k) => k in n).join(',')}`;
    // the declared name with its type, the parameters (oxc sets theirs), the rest without
    expect(ids.map(fields)).toEqual(['a:typeAnnotation', 'T:', 'b:', 'f:', 'p:decorators,optional,typeAnnotation', 'q:decorators,optional,typeAnnotation', 'a:', 'c:', 'p:', 'q:']);
  });

  it('leaves texts longer than RAW_MAX_CHARS to the JSON path', () => {
    expect(parseRaw('big.ts', `f${'()'.repeat(RAW_MAX_CHARS / 2)};`, 'ts', ['module'])).toBeUndefined();
    expect(parseRaw('ok.ts', `f${'()'.repeat(1000)};`, 'ts', ['module'])).toHaveProperty('program');
  });
});
