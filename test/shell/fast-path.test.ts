/**
 * The shell reader's fast path (plain command lines read by a tokenizer) against the full parser
 * (mvdan/sh on the whole text): the same commands, argv tokens, spans, assignments and errors, on
 * every shell text the fixtures hold, on hand-written edge cases, and on generated mixes. Then the
 * reader's linearity and its expansion budget.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, lintDir } from '../helpers.js';
import { constructLines, EXPANSION_BUDGET, fastLine, parseShell, recordShellTexts, shellStats, type ShellOptions } from '../../src/shell/index.js';
import { LineIndex, MappedText } from '../../src/text.js';
import { dynamicText } from '../../src/messages/dynamic.js';

function read(text: string, engine: 'auto' | 'full', options: ShellOptions = {}) {
  const index = new LineIndex('t.sh', text);
  return parseShell(MappedText.verbatim(index, 0, text.length), { trackAssignments: true, ...options, engine });
}

function agree(text: string): void {
  const full = read(text, 'full');
  const fast = read(text, 'auto');
  expect(fast, JSON.stringify(text)).toEqual(full);
}

afterAll(() => recordShellTexts(undefined));

describe('fast path = full parser', () => {
  it('on every shell text of every fixture', async () => {
    const texts = new Set<string>();
    recordShellTexts((t) => texts.add(t));
    for (const name of readdirSync(FIXTURES)) {
      const dir = join(FIXTURES, name);
      if (statSync(dir).isDirectory()) await lintDir(dir);
    }
    recordShellTexts(undefined);
    expect(texts.size).toBeGreaterThan(100);
    const before = shellStats.fastLines;
    for (const t of texts) agree(t);
    // the fast path did read lines (so the comparison is not full against full)
    expect(shellStats.fastLines - before).toBeGreaterThan(texts.size / 2);
  });

  it('on edge cases of quoting, escapes, expansions, operators and redirections', () => {
    const cases = [
      'deno run --allow-net=api.example.com main.ts',
      "X=1 Y='a b' deno run \"$X\" ${Y} $1 $@ \"$*\" $# $? $$ $! $- $0 'lit $X'",
      'A=1; B=$A; deno run $B',
      'A=1 B=$A deno run $A $B',
      'export A=1 B=$A -x C D=; readonly R=2; local L=3; declare -x E=$R',
      'echo a&&echo b||echo c|cat&echo d;echo e',
      'echo a &&\n\n  # comment\n  echo b',
      'cmd 2>&1 >/dev/null < in &>all &>>more >&2 x 3<&0 y',
      'echo a\\ b \\$X "\\$X \\" \\\\ \\n" c\\\nd',
      'echo "multi\nline" \'also\nmulti\'',
      'echo é 世界 😀 "é $X" && deno run --allow-read=é',
      'echo a # trailing\n# whole line\n\n   \necho b',
      'echo a#b {} {a,b} ~/x *.ts [ab] ] ]] = a=b',
      'X= cmd\nY=\nZ=""',
      'echo $ x', // a lone $
      'echo ${X:-d} ${#X} ${X/a/b} ${!X} $((1+2)) $(echo hi) `echo hi` $\'a\' $"b"',
      'if true; then deno run -A a.ts; fi\necho after',
      'for f in a b; do deno run $f; done',
      'case $X in a) deno run -A x;; *) echo no;; esac',
      'f() { deno run -A y; }\nf',
      'function g {\n deno run -A z\n}',
      '(cd sub && deno run -A w)',
      '{ deno run -A v; }',
      'cat <<EOF\n$X\nEOF\ndeno run -A u',
      'cat <<-"EOF"\n\tx\n\tEOF',
      'while read l; do echo $l; done < file',
      'X=(a b c); deno run ${X[0]}',
      'X+=1; Y[1]=2',
      'time deno run -A t; ! deno run -A n',
      '[[ -f x ]] && deno run -A m',
      'echo a\r\necho b\r\n',
      'echo a |& cat',
      'echo a ;; b',
      'echo "unclosed',
      'echo a &&',
      'if x; then',
      'echo $(',
      'echo ok\nif x; then\n echo in\nfi\necho "after"\nfor i in 1; do\n deno run -A $i\ndone\n',
      'let x=1',
      'coproc cat',
      'echo a \\',
      // a continued line is one command: the full parser's chunk must not end at its first line
      'git push\ngh pr create \\\n  --title "release $(date -u)" \\\n  --body x\necho after',
      "echo 'a\\\nb' && if x; then\n echo \\\n  y\nfi",
    ];
    for (const c of cases) agree(c);
  });

  it('on generated mixes of plain lines and control syntax, including errors late in the text', () => {
    const plain = ['echo a', 'X=1', 'deno run --allow-read=$X a.ts', "echo 'q' \"$Y\"", 'A=1 B=2 cmd -f x 2>&1', 'export P=/usr/bin'];
    const control = ['if [ -f x ]; then\n  deno run -A a\nfi', 'for i in 1 2; do\n echo $i\ndone', 'cat <<EOF\n$X\nEOF', 'f() {\n  echo f\n}', '(echo sub)', 'echo $(echo nested)'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let k = 0; k < 60; k++) {
      const lines: string[] = [];
      const n = 1 + rnd(40);
      for (let i = 0; i < n; i++) lines.push(rnd(4) ? plain[rnd(plain.length)]! : control[rnd(control.length)]!);
      if (k % 10 === 9) lines.splice(rnd(lines.length), 0, 'if broken; then');
      agree(lines.join('\n') + (k % 2 ? '\n' : ''));
    }
  });
});

describe('fast path shape', () => {
  it('reads plain lines itself and leaves control syntax to the full parser', () => {
    expect(fastLine('deno run -A x.ts && echo ok\nnext', 0)?.end).toBe(28);
    expect(fastLine('if x; then y; fi\n', 0)).toBeUndefined();
    expect(fastLine('cat <<EOF\n', 0)).toBeUndefined();
    expect(fastLine('echo $(date)\n', 0)).toBeUndefined();
  });
});

describe('linear in time and memory', () => {
  it('200,000 lines of `echo a` (1.4 MB) are read by the fast path without the full parser', () => {
    const text = 'echo a\n'.repeat(200_000);
    const chunks = shellStats.fullChunks;
    const r = read(text, 'auto');
    expect(r.commands.length).toBe(200_000);
    expect(shellStats.fullChunks).toBe(chunks);
    expect(r.commands[199_999]!.span).toEqual({ file: 't.sh', line: 200_000, column: 1, endLine: 200_000, endColumn: 7 });
  });

  it('a construct is given to the full parser with only the lines it needs', () => {
    const text = `${'echo a\n'.repeat(1000)}if x; then\n  deno run -A y\nfi\n${'echo b\n'.repeat(1000)}`;
    const chars = shellStats.fullChars;
    const r = read(text, 'auto');
    expect(r.commands.length).toBe(2002); // `x` and `deno run` inside the `if`
    // the `if … fi` lines once (its end found by constructLines), no incomplete retries
    expect(shellStats.fullChars - chars).toBe('if x; then\n  deno run -A y\nfi\n'.length);
  });

  it('guesses where a construct ends, and the full parser still decides', () => {
    expect(constructLines('if x; then\n  y\nfi\necho a\n', 0)).toBe(3);
    expect(constructLines('for i in a b; do\n  case $i in\n    a) echo "done fi";;\n    b|c) echo \'esac\';;\n  esac\ndone\nnext\n', 0)).toBe(6);
    expect(constructLines('f() {\n  ( cd x &&\n    y )\n}\nz\n', 0)).toBe(4);
    expect(constructLines('echo "a\nb" $(\n  date\n)\nz\n', 0)).toBe(4);
    expect(constructLines('cat <<EOF\nx\nEOF\n', 0)).toBe(1); // here-documents: the doubling
    const texts = [
      'if x; then\n  y\nfi\necho a\nif z; then\n  w\nfi',
      'echo for x\nif a; then b; fi\nc',
      'while read l; do\n  echo "$l \\\n  more"\ndone < f\nX=1 deno run $X',
      'case $x in\n  a) deno run -A a ;;\n  (b) echo b ;;\nesac\necho $x',
      'if a; then\n  cat <<EOF\nfi\nEOF\nfi\necho after',
      'echo "unclosed\nif x; then\ny',
      'if a; then\n  b\nfi extra )\necho c',
      'f() { echo a; }\n{ echo b; } > o\n(echo c) && d\n`e`\n$(f)',
    ];
    for (const t of texts) agree(t);
  });
});

describe('expansion budget', () => {
  it('a variable of 20,000 paths used on 2,000 lines stops expanding when the budget is spent, and says why', () => {
    const paths = Array.from({ length: 20_000 }, (_, i) => `/srv/data/dir${i}`).join(':');
    const text = `P=${paths}\n${'deno run --allow-read=$P main.ts\n'.repeat(2_000)}`;
    const r = read(text, 'auto');
    expect(r.commands.length).toBe(2_000);
    const expanded = r.commands.filter((c) => !c.argv[2]!.dynamic).length;
    expect(expanded).toBe(Math.floor(EXPANSION_BUDGET / paths.length));
    const last = r.commands[1_999]!.argv[2]!;
    expect(last.value).toBe('--allow-read=$P');
    expect(dynamicText(last.dynamic!)).toContain('expansion budget');
    const total = r.commands.reduce((n, c) => n + c.argv.reduce((m, t) => m + t.value.length, 0), 0);
    expect(total).toBeLessThan(EXPANSION_BUDGET + 200_000);
  });

  it('one budget object is shared by the texts of a file', () => {
    const budget = { left: 10 };
    const a = read('X=abcdefgh\necho $X $X', 'auto', { budget });
    expect(a.commands[0]!.argv.map((t) => t.value)).toEqual(['echo', 'abcdefgh', '$X']);
    expect(budget.left).toBe(2);
  });
});
