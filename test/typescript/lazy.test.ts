/**
 * The TypeScript parser loads only when a candidate file exists. This file runs in its own
 * process (vitest forks), so nothing else has loaded the analyser before these tests.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintDir } from '../helpers.js';
import { lint } from '../../src/lint.js';
import { parserLoaded, parserThreadStarted, resetTypescriptParseCount, sniff, typescriptParseCount } from '../../src/sources/typescript/index.js';

const dir = mkdtempSync(join(tmpdir(), 'permlint-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lazy TypeScript parser', () => {
  it('the sniff selects files by content, not by name', () => {
    expect(sniff("import { defineTask } from '@netscript/plugin-workers-core';")).toBe(true);
    expect(sniff('await Sandbox.create({})')).toBe(true);
    expect(sniff("import { spawn } from 'node:child_process';")).toBe(true);
    expect(sniff('new Deno.Command("deno")')).toBe(true);
    expect(sniff('export const add = (a: number, b: number) => a + b;')).toBe(false);
    expect(sniff('const worker = "tasks";')).toBe(false);
  });

  it('a tree of TypeScript files with no candidate never loads the parser', async () => {
    mkdirSync(join(dir, 'src'), { recursive: true });
    for (let i = 0; i < 200; i++) {
      writeFileSync(join(dir, 'src', `m${i}.ts`), `import { helper } from './m${(i + 1) % 200}.ts';\nexport function f${i}(x: number): number {\n  return helper(x) + ${i};\n}\n`);
    }
    writeFileSync(join(dir, 'deno.json'), '{ "tasks": { "start": "deno run --allow-net=api.example.com src/m0.ts" } }\n');
    resetTypescriptParseCount();
    // section G reads the entrypoint's modules with the same parser; with its two rules off, nothing may parse
    const { model } = await lint(['.'], { cwd: dir, engine: { levels: { 'over-grant': 'off', 'under-grant': 'off' } } });
    expect(model.invocations.length).toBe(1);
    expect(typescriptParseCount()).toBe(0);
    expect(parserLoaded()).toBe(false);
    expect(parserThreadStarted()).toBe(false);
  });

  it('one candidate loads it (so the checks above can fail)', async () => {
    writeFileSync(join(dir, 'src', 'task.ts'), "import { defineTask } from '@netscript/plugin-workers-core';\nexport const t = defineTask('t').entrypoint('./t.ts').build();\n");
    resetTypescriptParseCount();
    const { model } = await lintDir(dir);
    expect(typescriptParseCount()).toBe(1);
    expect(parserLoaded()).toBe(true);
    expect(parserThreadStarted()).toBe(true);
    expect(model.declarations.map((d) => d.name)).toEqual(['t']);
  });
});
