import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brief, lintDir } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'permlint-ts-robust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TypeScript source on hostile input', () => {
  it('never crashes: deep nesting, const cycles, re-export loops; unknown parts are notes', async () => {
    const w = (name: string, text: string) => writeFileSync(join(dir, name), text);
    w('deep.ts', `import { spawn } from 'child_process';\nconst x = ${'['.repeat(5000)}${']'.repeat(5000)};\nspawn('deno', x);\n`);
    w('cycle.ts', "import { defineTask } from '@netscript/plugin-workers-core';\nconst a = b;\nconst b = a;\ndefineTask('c').entrypoint('x').permissions(a).build();\n");
    w('loop-a.ts', "export { defineTask as t } from './loop-b.ts';\nexport * from './loop-b.ts';\n");
    w('loop-b.ts', "export { t as defineTask } from './loop-a.ts';\nexport * from './loop-a.ts';\nimport { t } from './loop-a.ts';\nt('loop').entrypoint('x').build();\n");
    w('tpl.tsx', "import { spawn } from 'child_process';\nconst el = <div>{spawn('node', ['--permission', `--allow-fs-read=${x}`, 'a.js'])}</div>;\n");
    const { findings, model } = await lintDir(dir);
    expect(brief(findings)).toEqual([
      'unresolved-value cycle.ts:2:11 note',
      'unfrozen-lockfile cycle.ts:4:1 warning', // no deno.json freezes the lock
      'unresolved-value tpl.tsx:2:49 note',
    ]);
    // a sniffed file nested past the parser's limit is skipped and listed, not a parse-error
    expect(model.unscanned?.map((u) => u.path)).toEqual(['deep.ts']);
    expect(findings.find((f) => f.span.file === 'tpl.tsx')!.message).toContain('`--allow-fs-read=${x}`');
    // the looping re-export names nothing real: no task, no crash
    expect(model.declarations.map((d) => d.name)).toEqual(['c']);
  });

  it('two tasks of the same name in one file stay two subjects (allow-all on one does not hide the other)', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'permlint-ts-dup-'));
    try {
      writeFileSync(
        join(sub, 't.ts'),
        "import { defineTask, permissions } from '@netscript/plugin-workers-core';\nexport const a = defineTask('same').entrypoint('./a.ts').permissions(permissions.allAccess).timeout(1).retry(1).build();\nexport const b = defineTask('same').entrypoint('./b.ts').permissions({ net: true }).timeout(1).retry(1).build();\n",
      );
      const { findings, model } = await lintDir(sub);
      expect(new Set(model.declarations.map((d) => d.id)).size).toBe(2);
      expect(brief(findings)).toEqual([
        'unfrozen-lockfile t.ts:2:18 warning',
        'allow-all t.ts:2:70 error',
        'unfrozen-lockfile t.ts:3:18 warning',
        'unscoped-grant t.ts:3:72 warning',
      ]);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });

  it('reads a builder chain thousands of calls long and a sandbox behind wrappers, at exact positions after non-ASCII text', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'permlint-ts-chain-'));
    try {
      // ancestors are found from the root by offsets (UTF-16): text before the constructs is not ASCII
      const chain = '.timeout(1)'.repeat(3000);
      const task = `export const a = (defineTask('long').entrypoint('./a.ts') as any)${chain}.permissions(permissions.allAccess).build();`;
      writeFileSync(
        join(sub, 't.ts'),
        `import { defineTask, permissions } from '@netscript/plugin-workers-core';\nimport { Sandbox } from '@deno/sandbox';\n// ünïcödé 😀 → 漢字\nconst s = "😀😀";\n${task}\nconst box = (await (Sandbox.create({ secrets: {} }) as any))!;\n`,
      );
      const { findings, model } = await lintDir(sub);
      expect(model.declarations.map((d) => `${d.name} ${d.origin.span.line}:${d.origin.span.column}`)).toEqual(['long 5:19', 'box 6:21']);
      expect(brief(findings).filter((f) => f.startsWith('allow-all'))).toEqual([`allow-all t.ts:5:${task.indexOf('permissions.allAccess') + 1} error`]);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });
});
