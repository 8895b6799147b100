/**
 * Parsing ahead (the scan hands the TypeScript source its candidates first, and the parser thread
 * works on the next ones while this thread analyses): the answers are the ones a direct parse
 * gives, a changed text is parsed again, and a scan reads the same facts either way.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseTypescript, prefetchTypescript, stopParser } from '../../src/sources/typescript/parser.js';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';

afterAll(() => stopParser());

describe('parsing ahead', () => {
  it('an answer parsed ahead is the one a direct parse gives; a changed text is parsed again', async () => {
    const a = "import { spawn } from 'node:child_process';\nspawn('deno', ['run', '-A', 'x.ts']);\n";
    const direct = await parseTypescript('a.ts', a);
    prefetchTypescript('a.ts', a);
    expect(await parseTypescript('a.ts', a)).toEqual(direct);
    prefetchTypescript('b.ts', a);
    const changed = 'const x: number = 1;\n';
    const b = await parseTypescript('b.ts', changed);
    expect('program' in b && b.program.body[0]!.type).toBe('VariableDeclaration');
    // refused texts are never sent ahead, and still answered
    prefetchTypescript('deep.ts', '['.repeat(2000));
    const deep = await parseTypescript('deep.ts', '['.repeat(2000));
    expect('error' in deep && deep.error).toMatchObject({ code: 'ts-nesting-budget', limit: 1000 });
  });

  it('a scan of many candidates reads every one of them, in order', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`src/m${String(i).padStart(2, '0')}.ts`] = `export const c${i} = new Deno.Command('deno', { args: ['run', '--allow-net=h${i}.example', 'w.ts'] });\n`;
    files['src/plain.ts'] = 'export const y = 2;\n';
    const r = await lint(memoryFs(files));
    const spawns = r.model.invocations.filter((i) => i.origin.source === 'typescript');
    expect(spawns.map((i) => i.origin.file)).toEqual(Object.keys(files).filter((f) => f !== 'src/plain.ts'));
    expect(spawns.map((i) => i.origin.span.line)).toEqual(Array(12).fill(1));
  });
});
