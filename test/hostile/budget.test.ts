/**
 * Budgets that keep a hostile file's model bounded (issue 16): at most MAX_COMMANDS_PER_FILE
 * simple commands and assignments per file, whatever the source, then one parse-error where
 * reading stopped; and the pieces that made a single huge line cost twice its model (the fast
 * path's batches, JSON string decoding). In process, on an in-memory file system.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { MAX_COMMANDS_PER_FILE } from '../../src/sources/commands.js';
import { parseShell } from '../../src/shell/index.js';
import { LineIndex, MappedText } from '../../src/text.js';

const BUDGET_MESSAGE = 'more than 100,000 commands in this file (the command budget); the rest is not read';

async function run(files: Record<string, string>) {
  const { findings } = await lint(memoryFs(files));
  return findings.map((f) => `${f.ruleId} ${f.span.file}:${f.span.line}:${f.span.column} ${f.level} ${f.message}`);
}

describe('the command budget per file', () => {
  it('is 100,000', () => expect(MAX_COMMANDS_PER_FILE).toBe(100_000));

  it('a shell script: the first command past the budget is where reading stops; what follows is not read', async () => {
    const script = `${'a\n'.repeat(MAX_COMMANDS_PER_FILE)}deno run -A main.ts\n`;
    expect(await run({ 'run.sh': script })).toEqual([`parse-error run.sh:100001:1 error ${BUDGET_MESSAGE}`]);
  });

  it('a shell script within the budget is read to its end', async () => {
    const script = `${'a\n'.repeat(MAX_COMMANDS_PER_FILE - 1)}deno run -A main.ts\n`;
    const out = await run({ 'run.sh': script });
    expect(out.some((l) => l.startsWith('allow-all run.sh:100000:'))).toBe(true);
    expect(out.some((l) => l.startsWith('parse-error'))).toBe(false);
  });

  it('assignments count too', async () => {
    const out = await run({ 'run.sh': `${'X=1\n'.repeat(MAX_COMMANDS_PER_FILE + 5)}` });
    expect(out).toEqual([`parse-error run.sh:100001:1 error ${BUDGET_MESSAGE}`]);
  });

  it('one deno.json task of `a;` × 100,001: the error points into the task string', async () => {
    const task = `${'a;'.repeat(MAX_COMMANDS_PER_FILE + 1)}deno run -A main.ts`;
    const out = await run({ 'deno.json': JSON.stringify({ tasks: { big: task } }) });
    expect(out.some((l) => l.startsWith('allow-all'))).toBe(false);
    // batches of the fast path end after a `;`: reading stops at a statement start inside the string
    const pe = out.filter((l) => l.startsWith('parse-error'));
    expect(pe).toHaveLength(1);
    const column = Number(/deno\.json:1:(\d+) /.exec(pe[0]!)![1]);
    expect(pe[0]).toContain(BUDGET_MESSAGE);
    const prefix = '{"tasks":{"big":"'.length;
    expect((column - 1 - prefix) % 2).toBe(0);
    expect(column - 1 - prefix).toBeGreaterThanOrEqual(2 * MAX_COMMANDS_PER_FILE);
  });

  it('a Dockerfile: RUN instructions past the budget are not read, nor is the rest of the file', async () => {
    const df = `FROM node:20\nUSER node\n${'RUN a\n'.repeat(MAX_COMMANDS_PER_FILE)}RUN deno run -A main.ts\nUSER root\n`;
    const out = await run({ Dockerfile: df });
    expect(out).toEqual([`parse-error Dockerfile:100003:1 error ${BUDGET_MESSAGE}`]);
  });

  it('the budget is per file: two files just under it are both read to the end', async () => {
    const script = `${'a\n'.repeat(MAX_COMMANDS_PER_FILE - 1)}deno run -A main.ts\n`;
    const out = await run({ 'a.sh': script, 'b.sh': script });
    expect(out.filter((l) => l.startsWith('allow-all')).map((l) => l.split(' ')[1])).toEqual(['a.sh:100000:10', 'b.sh:100000:10']);
  });
});

describe('a long line of plain commands, read in batches', () => {
  const parse = (text: string, engine: 'auto' | 'full') => {
    const src = MappedText.verbatim(new LineIndex('x.sh', text), 0, text.length);
    const r = parseShell(src, { engine, trackAssignments: true });
    return { commands: r.commands.map((c) => [c.argv.map((t) => `${t.value}@${t.span.line}:${t.span.column}-${t.span.endColumn}${t.dynamic ? '?' : ''}`), c.assigns.map((a) => a.name)]), error: r.error?.parser };
  };

  it.each([
    ['1,100 commands and then control syntax on the same line', `${'echo a; '.repeat(1100)}if true; then deno run -A "$X" x.ts; fi\n`],
    ['`&` between statements, an assignment carried across a batch', `X=/p; ${'b & '.repeat(1100)}deno run --allow-read=$X x.ts; c\n`],
    ['`&&` chains over the batch boundary (a batch ends only after `;` or `&`)', `${'a && b && c; '.repeat(400)}d\n`],
    ['a comment after the last batch', `${'a;'.repeat(1100)}# deno run -A x.ts\nd\n`],
  ])('%s: the same commands as the full parser', (_name, text) => {
    const fast = parse(text, 'auto');
    expect(fast.commands.length).toBeGreaterThan(1024);
    expect(fast).toEqual(parse(text, 'full'));
  });
});

describe('JSON strings decoded in runs', () => {
  it('escapes map to their characters and every position to the file', () => {
    const file = '{"t":"a\\"b\\\\c\\u0041\\nd"}';
    const quote = file.indexOf('"', 5);
    const m = MappedText.jsonString(new LineIndex('deno.json', file), quote, file.lastIndexOf('"') - quote + 1);
    expect(m.text).toBe('a"b\\cA\nd');
    expect(Array.from(m.offsets)).toEqual([6, 7, 9, 10, 12, 13, 19, 21, 22]);
    expect(m.span(1, 2)).toEqual({ file: 'deno.json', line: 1, column: 8, endLine: 1, endColumn: 10 });
    expect(m.span(5, 6)).toEqual({ file: 'deno.json', line: 1, column: 14, endLine: 1, endColumn: 20 });
  });
});
