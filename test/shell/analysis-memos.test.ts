/**
 * The shell path's per-text and per-command helpers rewritten without a string or regular
 * expression per character (`shellTooDeep`, `basename`) against their former code, kept here as
 * the reference, on generated and real inputs.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shellTooDeep } from '../../src/sources/nesting.js';
import { basename } from '../../src/text.js';
import { ROOT } from '../helpers.js';

function shellTooDeepReference(text: string, max: number): number | undefined {
  const stack: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (c === '\\') {
      i++;
      continue;
    }
    if (top === '"') {
      if (c === '"') stack.pop();
      else if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
        stack.push(text[++i]!);
        if (stack.length > max) return i - 1;
      } else if (c === '`') {
        stack.push('`');
        if (stack.length > max) return i;
      }
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      i = close;
    } else if (c === '#' && (i === 0 || /[\s;&|()]/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl;
    } else if (c === '"' || c === '(' || c === '{' || (c === '`' && top !== '`')) {
      stack.push(c);
      if (stack.length > max) return text[i - 1] === '$' && c !== '"' && c !== '`' ? i - 1 : i;
    } else if ((c === ')' && top === '(') || (c === '}' && top === '{') || (c === '`' && top === '`')) stack.pop();
  }
  return undefined;
}

function basenameReference(word: string): string {
  const s = word.replace(/\\/g, '/');
  return s.slice(s.lastIndexOf('/') + 1).replace(/\.exe$/i, '');
}

/** A small deterministic generator (the same cases on every run). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x80000000;
  };
}

const SHELL_ALPHABET = ['$', '(', ')', '{', '}', '"', "'", '`', '\\', '#', ' ', '\n', ';', '&', '|', 'a', 'e', '\u00a0', '\t', '\ud83d'];
const WORD_ALPHABET = ['/', '\\', '.', 'e', 'E', 'x', 'X', 'n', 'o', 'd', '\u0130', '\u212a', 'ſ', ' '];

function texts(alphabet: string[], count: number, maxLength: number, seed: number): string[] {
  const next = random(seed);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const n = Math.floor(next() * maxLength);
    let t = '';
    for (let i = 0; i < n; i++) t += alphabet[Math.floor(next() * alphabet.length)]!;
    out.push(t);
  }
  return out;
}

/** `run:` blocks and shell scripts of the fixtures and the corpus, as text (a sample of real shell). */
function realShell(): string[] {
  const out: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (!existsSync(dir) || depth > 8 || out.length > 3000) return;
    for (const e of readdirSync(dir)) {
      if (e === 'node_modules' || e === '.git') continue;
      const p = join(dir, e);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) visit(p, depth + 1);
      else if (st.isFile() && st.size < 1 << 20 && /\.(sh|ya?ml)$|^Dockerfile|^Makefile$/.test(e)) out.push(readFileSync(p, 'utf8'));
    }
  };
  visit(resolve(ROOT, 'fixtures'), 0);
  visit(resolve(ROOT, '.cache/corpus/deno/.github'), 0);
  visit(resolve(ROOT, '.cache/corpus/deno/tools'), 0);
  return out;
}

describe('shellTooDeep by character codes', () => {
  it('answers as the former code on generated text at small limits', () => {
    for (const t of texts(SHELL_ALPHABET, 20_000, 40, 7)) for (const max of [0, 1, 2, 3, 5]) {
      const got = shellTooDeep(t, max);
      if (got !== shellTooDeepReference(t, max)) expect([t, max, got]).toEqual([t, max, shellTooDeepReference(t, max)]);
    }
  });

  it('answers as the former code on real shell and on deep text', () => {
    const real = realShell();
    expect(real.length).toBeGreaterThan(10);
    for (const t of real) for (const max of [1, 2, 4, 256]) expect(shellTooDeep(t, max)).toBe(shellTooDeepReference(t, max));
    for (const t of ['$('.repeat(300), '"$('.repeat(300), '`'.repeat(600), '{ '.repeat(300), "'".repeat(5) + '$('.repeat(300)]) expect(shellTooDeep(t)).toBe(shellTooDeepReference(t, 256));
  });
});

describe('basename without regular expressions', () => {
  it('answers as the former code on generated and real words', () => {
    const words = [...texts(WORD_ALPHABET, 20_000, 12, 11), 'node.exe', 'C:\\Program Files\\nodejs\\NODE.EXE', 'deno.ExE', '.exe', 'x.exe.exe', 'bin/deno', '/usr/bin/node', 'a.exes', 'a.ex', 'a.eXe\n', ''];
    for (const w of words) if (basename(w) !== basenameReference(w)) expect([w, basename(w)]).toEqual([w, basenameReference(w)]);
    expect(words.map(basename).filter((b) => b === 'node' || b === 'NODE' || b === 'deno').length).toBeGreaterThanOrEqual(4);
  });
});
