/**
 * The link inputs' word check (src/link-inputs.ts) without the stripped and decoded copies of each
 * text: `spread(w)` over a text finds what `stripped(text).includes(w)` finds, and with
 * `holdsAtEscapes` what `decoded(text).includes(w)` finds — the check as it was written before,
 * kept here as the reference — on generated texts dense in quotes, backslashes and escapes of every
 * form (octal runs, adjacent escapes, escapes of quotes, `\u{…}` out of range, surrogates, long runs
 * of quotes between the pieces of a word), and on the link candidates of the corpus's denoland/deno.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { decoded, escapesOf, holdsAtEscapes, spread, stripped } from '../../src/link-inputs.js';
import { linkOnlyDiscover } from '../../src/lint.js';
import { nodeFs } from '../../src/fs.js';
import { ROOT, rng } from '../helpers.js';

/** Made once per text or word (the texts are large, the words many). */
const once = <T>(f: (s: string) => T) => {
  const m = new Map<string, T>();
  return (s: string) => {
    let v = m.get(s);
    if (v === undefined) m.set(s, (v = f(s)));
    return v;
  };
};
const copies = once((t) => [stripped(t), decoded(t)] as const);
const pattern = once(spread);
const escapes = once(escapesOf);
/** The check as written with the copies: the text, its stripped form, its decoded form. */
const referenceHolds = (text: string, w: string) => text.includes(w) || copies(text)[0].includes(w) || copies(text)[1].includes(w);
/** The same with the fast path's parts. */
const fastHolds = (text: string, w: string) => text.includes(w) || pattern(w).test(text) || holdsAtEscapes(text, escapes(text), w, pattern(w));

const PIECES = ['"', "'", '``````````', '""""""""""""""""""""', "'\\'\\'\\", '`', '\\', '\\\\', 'a', 'b', 'ab', 'ba', 'build', 'bu"ild', 'b\\u0075ild', '\\x62', '\\x6', '\\x2', '\\x22', '\\x5c', '\\101', '\\1012', '\\12', '\\8', '\\0', '\\u{62}', '\\u{110000}', '\\u{1F600}', '\\u{}', '\\U00000062', '\\U0001F600', '\\U0011ffff', '\\uD83D', '\\uDE00', '\uD83D', '\uDE00', '😀', '.', '*', '(', ')', '[', ']', '{', '}', '|', '^', '$', '+', '?', '/', '-', '\n', ' ', 'x', 'u', 'U', '7', 'f'];
const WORDS = ['a', 'b', 'ab', 'ba', 'build', 'bab', 'aa', 'A', 'd', 'b\n', 'a.b', '(a)', '[b]', '{a}', 'a|b', '^a', 'b$', 'a+', 'b?', 'a*b', '/b', 'x-y', '😀', '\uD83D', '\uDE00', '\uDE00a', 'Ab', 'Sb', 'bA', 'x6', 'x22', 'u{62}', '\n', '01_bump'];

function text(r: () => number): string {
  let s = '';
  const n = Math.floor(r() * 40);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

describe('the link inputs word check without copies of the texts', () => {
  it('spread finds a word where the stripped text holds it, holdsAtEscapes where only the decoded text does', () => {
    const r = rng(13);
    for (let i = 0; i < 3000; i++) {
      const t = text(r);
      for (const w of WORDS) {
        if (pattern(w).test(t) === copies(t)[0].includes(w) && fastHolds(t, w) === referenceHolds(t, w)) continue;
        expect(pattern(w).test(t), `${JSON.stringify(w)} in ${JSON.stringify(t)}`).toBe(copies(t)[0].includes(w));
        expect(fastHolds(t, w), `${JSON.stringify(w)} in ${JSON.stringify(t)}`).toBe(referenceHolds(t, w));
      }
    }
  });

  it('words written in pieces, escaped or quoted are found as before', () => {
    for (const [t, w, held] of [
      ['deno task "bu"ild', 'build', true],
      ['deno task b\\u0075ild', 'build', true],
      ['deno task b\\x22uild', 'build', true],
      ['deno task \\1012', 'A2', true],
      ['deno task \\12', '\n', true],
      ['deno task \\123', '\n3', false],
      ['run ./scripts/01_bump"_"crate.sh', '01_bump_crate', true],
      ['a\\x22b', 'ax22b', true],
      ['a\\x22b', 'ab', true],
      ['\\u{110000}', 'u{110000}', true],
      ['\\\\x41', 'A', true],
      ['plain text', 'build', false],
      ['b\\x75""""""""""""""""""""\\x69\\x6c""""""""""""""""""""d', 'build', true],
      ['b\\x75""""""""""""""""""""\\x69\\x6c""""""""""""""""""""e', 'build', false],
      ['bu\\x69\\x6c\\x64\\x64', 'buildd', true],
      ['x bui\\x22\\x27\\x60\\x5cld y', 'build', true],
      ['\\x5cx62uild', 'build', false],
      ['b``````````\\x75ild', 'build', true],
    ] as const) {
      expect(fastHolds(t, w), `${JSON.stringify(w)} in ${JSON.stringify(t)}`).toBe(held);
      expect(referenceHolds(t, w)).toBe(held);
    }
  });

  it('on the link candidates of denoland/deno, with words taken from their texts and quoted or escaped', () => {
    const deno = join(ROOT, '.cache/corpus/deno');
    if (!existsSync(join(deno, 'tests'))) return;
    const named = ['cli/main.rs', 'tests/unit/process_test.ts', 'tools/release/01_bump_crate_versions.ts', 'runtime/js/99_main.js', '.devcontainer/Dockerfile'];
    const texts = linkOnlyDiscover(nodeFs, deno, named, { ignore: [] }, undefined).flatMap((f) => (f.text === undefined ? [] : [f.text]));
    expect(texts.length).toBeGreaterThan(20);
    const r = rng(7);
    const words = ['01_bump_crate_versions', 'build', 'deno', 'npm', 'config-file', 'd', 'x64'];
    for (const t of texts) {
      for (let i = 0; i < 6; i++) {
        const at = Math.floor(r() * t.length);
        const w = stripped(t.slice(at, at + 1 + Math.floor(r() * 12)));
        if (w) words.push(w, `${w}~`);
      }
    }
    for (const t of texts) {
      for (const w of words) if (fastHolds(t, w) !== referenceHolds(t, w)) expect.fail(`${JSON.stringify(w)}: ${fastHolds(t, w)}`);
    }
  });
});
