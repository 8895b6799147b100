/** The carrier-level edits of --fix: a word is replaced, removed or preceded in its own carrier's separators. */
import { describe, expect, it } from 'vitest';
import { insertBefore, placeOf, removal, replaceWith, type Change } from '../../src/fix/carrier.js';

function at(text: string, word: string, nth = 0): [number, number] {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(word, i + 1);
  return [i, i + word.length];
}
const apply = (text: string, c: Change | undefined) => (c ? text.slice(0, c.start) + c.text + text.slice(c.end) : 'REFUSED');

describe('carrier edits', () => {
  it('a word in a command string: blanks around it', () => {
    const t = '"deno run --allow-read --allow-env main.ts"';
    const p = placeOf(t, ...at(t, '--allow-read'));
    expect(p.style).toBe('word');
    expect(apply(t, removal(t, p))).toBe('"deno run --allow-env main.ts"');
    expect(apply(t, replaceWith(t, p, ['--allow-read=./a', '--allow-read=./b']))).toBe('"deno run --allow-read=./a --allow-read=./b --allow-env main.ts"');
    expect(apply(t, insertBefore(t, placeOf(t, ...at(t, 'main.ts')), ['--allow-sys=hostname']))).toBe('"deno run --allow-read --allow-env --allow-sys=hostname main.ts"');
  });

  it('a word alone on a continued shell line goes with its line; first on a line, it keeps the indentation', () => {
    const t = 'deno run \\\n  --allow-read \\\n  main.ts\n';
    expect(apply(t, removal(t, placeOf(t, ...at(t, '--allow-read'))))).toBe('deno run \\\n  main.ts\n');
    const u = 'deno run \\\n  --allow-read --allow-net \\\n  main.ts\n';
    expect(apply(u, removal(u, placeOf(u, ...at(u, '--allow-read'))))).toBe('deno run \\\n  --allow-net \\\n  main.ts\n');
  });

  it('an exec-form or JSON array element: commas and quotes', () => {
    const t = 'CMD ["deno", "run", "--allow-read", "--allow-write", "main.ts"]';
    const p = placeOf(t, ...at(t, '--allow-write'));
    expect(p.style).toBe('item');
    expect(apply(t, removal(t, p))).toBe('CMD ["deno", "run", "--allow-read", "main.ts"]');
    expect(apply(t, replaceWith(t, placeOf(t, ...at(t, '--allow-read')), ['--allow-read=./a', '--allow-read=./b']))).toBe(
      'CMD ["deno", "run", "--allow-read=./a", "--allow-read=./b", "--allow-write", "main.ts"]',
    );
    expect(apply(t, insertBefore(t, placeOf(t, ...at(t, 'main.ts')), ['--allow-env=HOME']))).toBe('CMD ["deno", "run", "--allow-read", "--allow-write", "--allow-env=HOME", "main.ts"]');
  });

  it('the first element of an array takes the comma after it', () => {
    const t = 'args: ["--allow-read", "main.ts"]';
    expect(apply(t, removal(t, placeOf(t, ...at(t, '--allow-read'))))).toBe('args: ["main.ts"]');
  });

  it('a multi-line array keeps one element per line', () => {
    const t = '[\n  "deno",\n  "run",\n  "--allow-read",\n  "main.ts"\n]';
    expect(apply(t, replaceWith(t, placeOf(t, ...at(t, '--allow-read')), ['--allow-fs-read=./a', '--allow-fs-read=./b']))).toBe('[\n  "deno",\n  "run",\n  "--allow-fs-read=./a",\n  "--allow-fs-read=./b",\n  "main.ts"\n]');
    expect(apply(t, insertBefore(t, placeOf(t, ...at(t, 'main.ts')), ['--allow-env=HOME']))).toBe('[\n  "deno",\n  "run",\n  "--allow-read",\n  "--allow-env=HOME",\n  "main.ts"\n]');
  });

  it('an unquoted YAML flow element with a comma gets quotes', () => {
    const t = 'command: [deno, run, --allow-read, main.ts]';
    expect(apply(t, replaceWith(t, placeOf(t, ...at(t, '--allow-read')), ['--allow-read=./a,./b']))).toBe('command: [deno, run, "--allow-read=./a,./b", main.ts]');
  });

  it('a YAML block-sequence item: whole lines, comments of other items kept', () => {
    const t = 'command:\n  - deno\n  - run\n  - --allow-read # all\n  - \'--allow-net\'\n  - main.ts # entry\n';
    const net = placeOf(t, ...at(t, '--allow-net'));
    expect(net).toMatchObject({ style: 'line', quote: "'", prefix: '  - ' });
    expect(apply(t, removal(t, net))).toBe('command:\n  - deno\n  - run\n  - --allow-read # all\n  - main.ts # entry\n');
    expect(apply(t, replaceWith(t, placeOf(t, ...at(t, '--allow-read')), ['--allow-read=./a', '--allow-read=./b']))).toBe(
      "command:\n  - deno\n  - run\n  - --allow-read=./a\n  - --allow-read=./b # all\n  - '--allow-net'\n  - main.ts # entry\n",
    );
    expect(apply(t, insertBefore(t, placeOf(t, ...at(t, 'main.ts')), ['--allow-env=HOME']))).toBe(
      "command:\n  - deno\n  - run\n  - --allow-read # all\n  - '--allow-net'\n  - --allow-env=HOME\n  - main.ts # entry\n",
    );
  });

  it('a word that is its own quoted string outside an array is only replaced by one word', () => {
    const t = 'entrypoint: "--allow-read"';
    const p = placeOf(t, ...at(t, '--allow-read'));
    expect(p.style).toBe('word');
    expect(removal(t, p)).toBeUndefined();
    expect(replaceWith(t, p, ['a', 'b'])).toBeUndefined();
    expect(apply(t, replaceWith(t, p, ['--allow-read=./a']))).toBe('entrypoint: "--allow-read=./a"');
  });
});
