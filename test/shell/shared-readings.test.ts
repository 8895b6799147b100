import { describe, expect, it } from 'vitest';
import { ShellParseCache, parseShell } from '../../src/shell/index.js';
import { LineIndex, MappedText } from '../../src/text.js';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';

const SCRIPT = 'export DENO_DIR=/tmp/d\nif [ -n "$CI" ]; then\n  deno run --allow-read=$DIR ${X} main.ts\nfi\nFOO=1 deno task build\n';

describe('parseShell with a shared cache of readings', () => {
  it('gives a text met again the reading a fresh parse gives at its own place, as a copy', () => {
    const file = `# header\n${SCRIPT}# between\n\n${SCRIPT}`;
    const index = new LineIndex('x.sh', file);
    const first = MappedText.verbatim(index, 9, 9 + SCRIPT.length);
    const second = MappedText.verbatim(index, file.length - SCRIPT.length, file.length);
    const options = { vars: new Map([['DIR', './data']]), trackAssignments: true };
    const cache = new ShellParseCache();
    const a = parseShell(first, { ...options, shared: { cache, key: '' } });
    // what a caller does to its reading (restoring template text) does not reach the next one
    a.commands[0]!.argv[0]!.value = 'changed';
    const b = parseShell(second, { ...options, shared: { cache, key: '' } });
    expect(cache.entries.size).toBe(1);
    expect(b).toEqual(parseShell(second, options));
    expect(b.commands.map((c) => [c.argv.map((t) => t.value).join(' '), c.span.line, c.span.column, c.span.endColumn])).toEqual([
      ['[ -n $CI ]', 10, 4, 16],
      ['deno run --allow-read=./data ${X} main.ts', 11, 3, 42],
      ['deno task build', 13, 1, 22],
    ]);
    expect(b.commands[1]!.argv[3]!.dynamic).toEqual([{ kind: 'variable', of: 'shell', name: 'X' }]);
    // other variables, another key: read again
    parseShell(second, { vars: new Map([['DIR', './other']]), shared: { cache, key: '' } });
    parseShell(second, { ...options, shared: { cache, key: 'other expressions' } });
    expect(cache.entries.size).toBe(3);
  });

  it('shares a text without `$` whatever the variables, and reads one with `$` again for other variables', () => {
    const plain = 'git config --global core.symlinks true\ndeno run -A main.ts\n';
    const index = new LineIndex('x.sh', `${plain}${plain}`);
    const at = (k: number) => MappedText.verbatim(index, k * plain.length, (k + 1) * plain.length);
    const cache = new ShellParseCache();
    parseShell(at(0), { shared: { cache, key: '' } });
    const b = parseShell(at(1), { vars: new Map([['CARGO_TERM_COLOR', 'always']]), shared: { cache, key: '' } });
    expect(cache.entries.size).toBe(1);
    expect(b).toEqual(parseShell(at(1), { vars: new Map([['CARGO_TERM_COLOR', 'always']]) }));
    const withVar = MappedText.verbatim(new LineIndex('y.sh', 'deno run $F main.ts\n'), 0, 20);
    const x = parseShell(withVar, { vars: new Map([['F', '-A']]), shared: { cache, key: '' } });
    const y = parseShell(withVar, { vars: new Map([['F', '-R']]), shared: { cache, key: '' } });
    expect(cache.entries.size).toBe(3);
    expect([x.commands[0]!.argv[2]!.value, y.commands[0]!.argv[2]!.value]).toEqual(['-A', '-R']);
  });

  it('reads again where the command budget could cut the text', () => {
    const index = new LineIndex('x.sh', SCRIPT);
    const cache = new ShellParseCache();
    parseShell(MappedText.verbatim(index, 0, SCRIPT.length), { shared: { cache, key: '' } });
    const cut = parseShell(MappedText.verbatim(index, 0, SCRIPT.length), { maxCommands: 2, shared: { cache, key: '' } });
    expect(cut.truncated).toMatchObject({ line: 5 });
    expect(cut).toEqual(parseShell(MappedText.verbatim(index, 0, SCRIPT.length), { maxCommands: 2 }));
  });
});

describe('GitHub Actions: the same run: script in several jobs', () => {
  it('reads each job at its own lines, with its own expressions', async () => {
    const step = (expr: string) => `    steps:\n      - run: |\n          deno run --allow-net=\${{ ${expr} }} main.ts\n          deno run -A other.ts\n`;
    const wf = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n${step('inputs.host')}  b:\n    runs-on: ubuntu-latest\n${step('inputs.host')}  c:\n    runs-on: ubuntu-latest\n${step('vars.host')}`;
    const r = await lint(memoryFs({ '.github/workflows/ci.yml': wf }), { rules: [] });
    const runs = r.model.invocations.map((i) => [i.id, i.argv.map((t) => t.value).join(' '), i.command.span.line, i.command.span.column]);
    expect(runs).toEqual([
      ['.github/workflows/ci.yml#a/1#1', 'run --allow-net=${{ inputs.host }} main.ts', 7, 11],
      ['.github/workflows/ci.yml#a/1#2', 'run -A other.ts', 8, 11],
      ['.github/workflows/ci.yml#b/1#1', 'run --allow-net=${{ inputs.host }} main.ts', 13, 11],
      ['.github/workflows/ci.yml#b/1#2', 'run -A other.ts', 14, 11],
      ['.github/workflows/ci.yml#c/1#1', 'run --allow-net=${{ vars.host }} main.ts', 19, 11],
      ['.github/workflows/ci.yml#c/1#2', 'run -A other.ts', 20, 11],
    ]);
    const grant = (id: string) => r.model.invocations.find((i) => i.id === id)!.permissions[0]!;
    expect(grant('.github/workflows/ci.yml#b/1#1')).toMatchObject({ kind: 'net', text: '--allow-net=${{ inputs.host }}', span: { line: 13, column: 20 } });
    expect(grant('.github/workflows/ci.yml#c/1#1')).toMatchObject({ kind: 'net', text: '--allow-net=${{ vars.host }}', span: { line: 19, column: 20 } });
  });
});
