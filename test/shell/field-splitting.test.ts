import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { parseShell } from '../../src/shell/index.js';
import { LineIndex, MappedText } from '../../src/text.js';

const words = (text: string, engine: 'auto' | 'full' = 'auto', dialect: 'sh' | 'deno-task' = 'sh') => {
  const index = new LineIndex('x.sh', text);
  return parseShell(MappedText.verbatim(index, 0, text.length), { engine, dialect }).commands.map((c) => c.argv.map((w) => w.value));
};

describe('field splitting of unquoted expansions (POSIX sh and deno_task_shell, checked with Deno 2.9.6)', () => {
  it.each(['auto', 'full'] as const)('%s reader: $F splits, "$F" does not, $EMPTY vanishes, a prefix assignment is not seen', (engine) => {
    const text = 'F="--allow-read --allow-env"\nE=\ndeno run $F x.ts\ndeno run "$F" x.ts\ndeno run $E x.ts ""\ndeno run --allow-read=$F x.ts\nG=a deno run $G x.ts\n';
    expect(words(text, engine)).toEqual([
      ['deno', 'run', '--allow-read', '--allow-env', 'x.ts'],
      ['deno', 'run', '--allow-read --allow-env', 'x.ts'],
      ['deno', 'run', 'x.ts', ''],
      ['deno', 'run', '--allow-read=--allow-read', '--allow-env', 'x.ts'],
      ['deno', 'run', '$G', 'x.ts'],
    ]);
  });

  it('a deno.json task splits an exported variable the same way', () => {
    expect(words("export F='--allow-read --allow-env' && deno run $F x.ts", 'auto', 'deno-task')).toEqual([['deno', 'run', '--allow-read', '--allow-env', 'x.ts']]);
  });

  it('lint: the split flags are grants at the word, not an unknown flag that stops Deno', async () => {
    const { findings } = await lint(memoryFs({ 'run.sh': '#!/bin/sh\nF="--allow-read --allow-env"\ndeno run $F main.ts\n' }));
    const brief = findings.map((f) => `${f.ruleId} ${f.span.line}:${f.span.column}-${f.span.endColumn}`).sort();
    expect(brief).toEqual(['unscoped-grant 3:10-12', 'unscoped-grant 3:10-12']);
    expect(findings.some((f) => f.ruleId === 'invalid-permission')).toBe(false);
  });

  it('NODE_OPTIONS in quotes: each flag at its own column', async () => {
    const { findings } = await lint(memoryFs({ 'run.sh': '#!/bin/sh\nNODE_OPTIONS="--permission --allow-fs-read=*" node x.js\n' }));
    const f = findings.find((x) => x.ruleId === 'unscoped-grant')!;
    expect([f.span.line, f.span.column, f.span.endColumn]).toEqual([2, 28, 45]);
  });
});
