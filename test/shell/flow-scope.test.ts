/**
 * Variables set inside a construct, as sh (dash) scopes them: a subshell's value is undone after
 * it, a branch's or loop's is not known after it (it depends on whether it ran); inside the
 * construct the value is known. Both readers (the fast path and mvdan/sh) agree.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { parseShell } from '../../src/shell/index.js';
import { LineIndex, MappedText } from '../../src/text.js';

const read = (text: string, engine: 'auto' | 'full') => {
  const index = new LineIndex('x.sh', text);
  return parseShell(MappedText.verbatim(index, 0, text.length), { engine }).commands.map((c) => c.argv.map((w) => (w.dynamic ? `?${w.value}` : w.value)).join(' '));
};

describe('what a construct sets, seen after it', () => {
  it.each(['auto', 'full'] as const)('%s reader', (engine) => {
    expect(read('X=a\n( X=b; echo $X )\necho $X\n', engine)).toEqual(['echo b', 'echo a']);
    expect(read('( Y=b )\necho $Y\n', engine)).toEqual(['echo ?$Y']);
    expect(read('X=a\nX=b | cat\necho $X\n', engine)).toEqual(['cat', 'echo a']);
    expect(read('X=a\n[ -n "$C" ] && X=b\necho $X\n', engine)).toEqual(['[ -n ?$C ]', 'echo ?$X']);
    expect(read('X=a\ntrue && X=b\necho $X\n', engine)).toEqual(['true', 'echo b']);
    expect(read('if [ -n "$C" ]; then X=b; echo $X; fi\necho $X\n', engine)).toEqual(['[ -n ?$C ]', 'echo b', 'echo ?$X']);
    expect(read('for i in 1 2; do X=b; done\necho $X\n', engine)).toEqual(['echo ?$X']);
    expect(read('X=a\necho $(X=b) $X\n', engine)).toEqual(['echo ?$(…) a']);
  });

  it('lint: a flag set on one branch only is not read as granted after it', async () => {
    const { model } = await lint(memoryFs({ 'run.sh': '#!/bin/sh\nif [ -n "$CI" ]; then EXTRA=--allow-fs-read=/x; fi\nexport NODE_OPTIONS="--permission $EXTRA"\nnode /app/a.js\n' }));
    const inv = model.invocations.find((i) => i.runtime === 'node')!;
    expect(inv.unresolved.map((t) => t.value)).toEqual(['$EXTRA']);
    expect(inv.effective.read.allow).not.toContain('/x');
  });
});
