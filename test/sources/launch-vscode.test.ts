import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { brief, FIXTURES, lintFixture, runMain } from '../helpers.js';

describe('editor launchers (fixtures/launch-vscode): VS Code tasks.json / launch.json, Zed tasks.json', () => {
  it('reads shell, process and deno tasks, launch configurations (runtimeExecutable + runtimeArgs + program), in the development context', async () => {
    const { findings, model } = await lintFixture('launch-vscode');
    expect(brief(findings)).toEqual([
      'allow-all .vscode/launch.json:9:49 warning', // runtimeExecutable deno + runtimeArgs --allow-all
      'unscoped-grant .vscode/launch.json:18:40 note', // node (the default runtime) with --allow-fs-read=*
      'unresolved-value .vscode/launch.json:31:31 note', // ${input:host} is asked at launch time
      'allow-all .vscode/tasks.json:8:28 warning', // "type": "shell" command
      'unscoped-grant .vscode/tasks.json:14:24 warning', // "type": "process" command + args
      'subprocess-escalation .vscode/tasks.json:21:17 warning', // "type": "deno" task
      'allow-all .zed/debug.json:8:47 warning', // Zed debug scenario: runtimeExecutable deno + runtimeArgs --allow-all
      'unresolved-value .zed/debug.json:18:17 note', // program $ZED_FILE: the file open when the scenario starts
      'unscoped-grant .zed/debug.json:24:52 warning', // the scenario's `build` task
      'unscoped-grant .zed/tasks.json:6:22 note',
    ]);
    expect(findings.find((f) => f.span.file === '.zed/debug.json' && f.span.line === 18)!.message).toContain('Zed variable $ZED_FILE');
    expect(findings.every((f) => f.context === 'development')).toBe(true);
    const debug = model.invocations.find((i) => i.origin.name === 'Debug Deno')!;
    expect(debug.entrypoint?.value).toBe('./main.ts');
    const migrate = model.invocations.find((i) => i.origin.name === 'migrate')!;
    expect(migrate.context.cwd).toBe('app');
    // look-alikes: a scoped test task, an npm task, an echo, an attach configuration
    // …and in Zed's debug.json an attach scenario; a scoped grant stays silent
    expect(model.invocations.map((i) => i.origin.name)).toEqual([
      'Debug Deno', 'Debug Node', 'Input', 'serve', 'migrate', 'deno: check', 'test',
      'Debug API', 'Debug current file', 'Debug with a build step', 'Debug with a build step', 'dev server',
    ]);
    expect(model.invocations.find((i) => i.origin.name === 'Debug API')!.entrypoint?.value).toBe('./main.ts');
    expect(findings.some((f) => f.span.file === '.vscode/tasks.json' && f.span.line > 22)).toBe(false);
  });

  it('the CLI lints .zed/debug.json named explicitly: positions, levels, exit code', async () => {
    const dir = resolve(FIXTURES, 'launch-vscode');
    const r = await runMain(['--format', 'json', '--persona', 'pedantic', '.zed/debug.json'], dir);
    expect(r.code).toBe(0); // development: warnings
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string; file: string; line: number; column: number; level: string }) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.level}`)).toEqual([
      'allow-all .zed/debug.json:8:47 warning',
      'unresolved-value .zed/debug.json:18:17 note',
      'unscoped-grant .zed/debug.json:24:52 warning',
    ]);
    expect((await runMain(['--format', 'json', '--persona', 'pedantic', '--max-warnings', '0', '.zed/debug.json'], dir)).code).toBe(1);
  });
});
