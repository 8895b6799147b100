/** 5,000 TypeScript files of which 10 define tasks: only those 10 are parsed (a counter, not a timer). */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintDir } from '../helpers.js';
import { resetTypescriptParseCount, typescriptParseCount } from '../../src/sources/typescript/index.js';

const dir = mkdtempSync(join(tmpdir(), 'permlint-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generate(root: string, files: number, tasks: number): void {
  const every = Math.floor(files / tasks);
  for (let i = 0; i < files; i++) {
    const folder = join(root, 'src', `pkg${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(folder, { recursive: true });
    const body =
      i % every === 0
        ? `import { defineTask, permissions } from '@netscript/plugin-workers-core';\n\nexport const task${i} = defineTask('task-${i}')\n  .entrypoint('./workers/w${i}.ts')\n  .permissions(permissions.network)\n  .timeout(1000)\n  .retry(1)\n  .build();\n`
        : // ordinary modules, including words close to the sniff's (worker, task, command) that must not select them
          `import { util${i % 7} } from '../util.ts';\n\n/** A worker-free task helper that builds a command string. */\nexport function handle${i}(input: string): string {\n  const command = util${i % 7}(input);\n  return command.trim() + ' #${i}';\n}\n`;
    writeFileSync(join(folder, `mod${i}.ts`), body);
  }
}

describe('parse only what can matter', () => {
  it('parses exactly the 10 task files of 5,000', async () => {
    generate(dir, 5000, 10);
    resetTypescriptParseCount();
    const { model } = await lintDir(dir);
    expect(typescriptParseCount()).toBe(10);
    const tasks = model.declarations.filter((d) => d.declaration === 'netscript-task');
    expect(tasks.length).toBe(10);
    expect(new Set(tasks.map((d) => d.origin.file)).size).toBe(10);
  });
});
