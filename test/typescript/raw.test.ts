/**
 * oxc's raw transfer (src/sources/typescript/raw.ts), which the parser thread uses instead of oxc's
 * JSON: it must be active on this platform (else the thread silently pays for JSON) and give the
 * tree and the first error the JSON path gives. Small inputs only: the native parse runs on this
 * test's own thread, whose stack is the ordinary one.
 */
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { RAW_MAX_CHARS, parseRaw, rawTransferActive } from '../../src/sources/typescript/raw.js';

const { parseSync } = createRequire(import.meta.url)('oxc-parser') as {
  parseSync(path: string, text: string, options: object): { program: unknown; errors: { message: string; labels: { start: number }[] }[] };
};

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

  it.each(SOURCES)('%s: the same tree (or the same first error) as the JSON path', (path, lang, text) => {
    const raw = parseRaw(path, text, lang, ['module']);
    expect(raw).toBeDefined();
    expect(JSON.parse(JSON.stringify(raw, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof RegExp ? String(v) : v)))).toEqual(
      JSON.parse(JSON.stringify(viaJson(path, text, lang, 'module'), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof RegExp ? String(v) : v))),
    );
  });

  it('leaves texts longer than RAW_MAX_CHARS to the JSON path', () => {
    expect(parseRaw('big.ts', `f${'()'.repeat(RAW_MAX_CHARS / 2)};`, 'ts', ['module'])).toBeUndefined();
    expect(parseRaw('ok.ts', `f${'()'.repeat(1000)};`, 'ts', ['module'])).toHaveProperty('program');
  });
});
