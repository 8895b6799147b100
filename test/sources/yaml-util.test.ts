import { describe, expect, it } from 'vitest';
import { emptyModel } from '../../src/model.js';
import { parseYaml, scalarText, YReader, type YNode } from '../../src/sources/yaml-util.js';
import type { ScanContext, SourceFile } from '../../src/sources/types.js';
import { LineIndex, MappedText, maskTemplates } from '../../src/text.js';

function file(text: string, path = 'x.yml'): SourceFile {
  return { path, text, index: new LineIndex(path, text) };
}
function context(): ScanContext {
  return { model: emptyModel(), resolverFor: () => () => undefined, contextFor: (_f, n) => n, nextId: (f, w) => `${f}#${w}` };
}
function read(text: string) {
  const f = file(text);
  const ctx = context();
  const { docs, ok } = parseYaml(f, ctx, 'kubernetes');
  return { f, ctx, ok, r: new YReader(f, docs[0]!), root: docs[0]?.contents as YNode };
}

/** scalarText as it was written before its fast paths: one character at a time. */
function scalarTextReference(src: string, value: string, type: string | undefined, start: number, end: number): number[] {
  if (type === 'QUOTE_DOUBLE' && !src.slice(start, end).includes('\n')) {
    const m = MappedText.jsonString(new LineIndex('x.yml', src), start, end - start);
    if (m.text === value) return Array.from(m.offsets);
  }
  let p = start;
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    while (p < end && src[p] !== '\n') p++;
    p++;
  } else if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') p++;
  const offsets: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    let q = p;
    while (q < end && src[q] !== c && (src[q] === ' ' || src[q] === '\t' || src[q] === '\r' || src[q] === '\n' || (type === 'QUOTE_SINGLE' && src[q] === "'") || (type === 'QUOTE_DOUBLE' && src[q] === '\\'))) q++;
    if (q < end && src[q] === c) {
      offsets[i] = q;
      p = q + 1;
    } else offsets[i] = Math.min(p, Math.max(start, end - 1));
  }
  offsets[value.length] = Math.min(p, end);
  return offsets;
}

describe('YAML reading (yaml-util)', () => {
  it('maps every scalar style back to the file, character by character, as before its fast paths', () => {
    const text = [
      'plain: deno run -A main.ts',
      "single: 'it''s here'",
      'double: "a\\tb \\u0041"',
      'multi: "one\r\n  two"',
      'folded: >-',
      '  deno run',
      '  -A x.ts',
      'literal: |',
      '  echo 1',
      '\r',
      '  echo 2',
      'bool: TRUE',
      'num: 0x1F',
      'empty:',
      'head: |2  # header comment',
      '    indented',
      '',
    ].join('\n');
    const { f, r, root } = read(text);
    let n = 0;
    for (const e of r.pairs(root)) {
      const s = e.value as { range?: [number, number]; type?: string } | undefined;
      const t = r.text(e.value);
      if (!t || !s?.range) continue;
      n++;
      expect(Array.from(t.offsets), e.key).toEqual(scalarTextReference(text, t.text, s.type, s.range[0], s.range[1]));
    }
    expect(n).toBe(9);
    // one-line values sit where they are written
    const plain = r.token(r.get(root, 'plain'))!;
    expect(plain).toMatchObject({ value: 'deno run -A main.ts', span: { line: 1, column: 8, endLine: 1, endColumn: 27 } });
    expect(r.token(r.get(root, 'single'))).toMatchObject({ value: "it's here", span: { line: 2, column: 10, endColumn: 20 } });
    // a decoded value past the end of its range keeps positions inside it
    const odd = scalarText(f, 'deno run -A main.ts and more', 'PLAIN', 7, 26);
    expect(Array.from(odd.offsets)).toEqual(scalarTextReference(text, odd.text, 'PLAIN', 7, 26));
  });

  it('reads merge keys once per mapping: own keys win over merged ones, later merges lose to earlier', () => {
    const { r, root, ok } = read(['base: &b {image: a, user: root}', 'more: &m {image: b, cmd: x}', 'svc:', '  <<: [*b, *m]', '  image: own', '  image: later', ''].join('\n'));
    expect(ok).toBe(true);
    const svc = r.get(root, 'svc');
    expect(r.pairs(svc).map((e) => `${e.key}=${r.str(e.value)}`)).toEqual(['image=later', 'user=root', 'cmd=x']);
    expect(r.str(r.get(svc, 'user'))).toBe('root');
    expect(r.str(r.get(svc, 'image'))).toBe('later');
    expect(r.entry(svc, 'cmd')?.key).toBe('cmd');
    expect(r.get(svc, 'absent')).toBeUndefined();
    expect(r.get(r.get(svc, 'image'), 'x')).toBeUndefined();
    // asked again: the same entries
    expect(r.pairs(svc)).toBe(r.pairs(svc));
  });

  it('reads a mapping that merges itself, directly or through another, without recursing forever', () => {
    const self = read('a: &a\n  x: 1\n  <<: *a\n  y: 2\n');
    expect(self.r.pairs(self.r.get(self.root, 'a')).map((e) => e.key)).toEqual(['x', 'y']);
    const { r, root, ok } = read('b: &b\n  y: 2\n  <<: {x: 1, <<: *b}\n');
    expect(ok).toBe(true);
    expect(r.pairs(r.get(root, 'b')).map((e) => e.key)).toEqual(['x', 'y']);
  });

  it('still counts alias expansion when an alias is written in block style, and not for `*` in text', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...['b', 'c', 'd', 'e', 'f'].map((k, i) => `${k}: &${k}\n${Array(10).fill(`  - *${'abcde'[i]}`).join('\n')}`), ''];
    const bomb = read(rows.join('\n'));
    expect(bomb.ok).toBe(false);
    expect(bomb.ctx.model.problems.map((p) => [p.code, p.span.line, p.span.column])).toEqual([['alias-bomb', 3, 5]]);
    // globs and block text with `*`: no alias, read as written
    const globs = read("on:\n  push:\n    paths: ['**/*.ts', '*']\nrun: |\n  ls *\n  *\n");
    expect(globs.ok).toBe(true);
    expect(globs.ctx.model.problems).toEqual([]);
    expect(globs.r.items(globs.r.path(globs.root, 'on', 'push', 'paths')).map((i) => globs.r.str(i))).toEqual(['**/*.ts', '*']);
  });

  it('masks template expressions with the same text and map as one character at a time', () => {
    const endOf = (s: string, i: number) => {
      if (!s.startsWith('${{', i)) return -1;
      const close = s.indexOf('}}', i + 3);
      return close < 0 ? -1 : close + 2;
    };
    const index = new LineIndex('t', 'x'.repeat(200));
    for (const s of ['echo ${{ a }} and ${{b}}x', '${{ a }}', 'no expressions', 'open ${{ never', 'tail ${{ a }}', '']) {
      const src = new MappedText(s, Array.from({ length: s.length + 1 }, (_, i) => 10 + 2 * i), index);
      const { text, exprs } = maskTemplates(src, 'P_', endOf);
      // the reference: every character copied on its own
      const ref: number[] = [];
      let out = '';
      const ex: string[] = [];
      for (let i = 0; i < s.length; ) {
        const end = endOf(s, i);
        if (end > i) {
          const ph = `\${P_${ex.length}}`;
          ex.push(s.slice(i, end));
          for (let k = 0; k < ph.length; k++) ref.push(src.fileOffset(i + Math.floor((k * (end - i)) / ph.length)));
          out += ph;
          i = end;
        } else {
          out += s[i];
          ref.push(src.fileOffset(i++));
        }
      }
      ref.push(src.fileOffset(s.length));
      expect(exprs).toEqual(ex);
      expect(text.text).toBe(out);
      if (ex.length) expect(Array.from(text.offsets)).toEqual(ref);
      else expect(text).toBe(src);
    }
  });
});
