/** deno.json tasks are read as deno_task_shell reads them (answers recorded from Deno 2.9.6), scripts as POSIX sh. */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';

const TASKS = {
  a: String.raw`deno run argv.ts AWS_\* a\b "c\d" 'e\f' "g\"h" i\ j`,
  b: 'deno run argv.ts ${HOME} "${HOME}" x${HOME}y ${X:-d}',
  c: String.raw`deno run argv.ts "\$HOME" "a\\b" "\x" "a\ b" \$HOME \\s`,
  d: 'export X=2 && deno run argv.ts $X ${X}',
};

async function args(files: Record<string, string>): Promise<Record<string, string[]>> {
  const { model } = await lint(memoryFs(files));
  return Object.fromEntries(model.invocations.map((i) => [i.origin.source === 'deno.json' ? i.origin.name! : i.id, i.programArgs.map((t) => t.value)]));
}

describe('deno_task_shell quoting in deno.json tasks', () => {
  it('keeps a backslash unless it escapes $, ", a space or a line break, and never expands ${NAME}', async () => {
    expect(await args({ 'deno.json': JSON.stringify({ tasks: TASKS }) })).toEqual({
      a: ['AWS_\\*', 'a\\b', 'c\\d', 'e\\f', 'g"h', 'i j'],
      b: ['${HOME}', '${HOME}', 'x${HOME}y', '${X:-d}'],
      c: ['$HOME', 'a\\\\b', '\\x', 'a\\ b', '$HOME', '\\\\s'],
      d: ['2', '${X}'],
    });
  });

  it('the same text in a shell script is POSIX sh', async () => {
    const got = await args({ 'run.sh': `#!/bin/sh\n${TASKS.a}\nexport X=2 && deno run argv.ts $X \${X}\n` });
    expect(Object.values(got)).toEqual([
      ['AWS_*', 'ab', 'c\\d', 'e\\f', 'g"h', 'i j'],
      ['2', '2'],
    ]);
  });

  it('so `--allow-env=AWS_\\*` in a task grants the literal name, in a script the AWS_ family', async () => {
    const { model } = await lint(memoryFs({ 'deno.json': JSON.stringify({ tasks: { t: String.raw`deno run --allow-env=AWS_\* main.ts` } }), 'run.sh': `#!/bin/sh\ndeno run --allow-env=AWS_\\* main.ts\n` }));
    const env = (file: string) => model.invocations.find((i) => i.origin.file === file)!.effective.env.allow;
    expect(env('deno.json')).toEqual(['AWS_\\*']);
    expect(env('run.sh')).toEqual(['AWS_*']);
  });
});
