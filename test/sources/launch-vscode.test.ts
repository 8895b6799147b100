import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

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
      'unscoped-grant .zed/tasks.json:6:22 note',
    ]);
    expect(findings.every((f) => f.context === 'development')).toBe(true);
    const debug = model.invocations.find((i) => i.origin.name === 'Debug Deno')!;
    expect(debug.entrypoint?.value).toBe('./main.ts');
    const migrate = model.invocations.find((i) => i.origin.name === 'migrate')!;
    expect(migrate.context.cwd).toBe('app');
    // look-alikes: a scoped test task, an npm task, an echo, an attach configuration
    expect(model.invocations.map((i) => i.origin.name)).toEqual(['Debug Deno', 'Debug Node', 'Input', 'serve', 'migrate', 'deno: check', 'test', 'dev server']);
    expect(findings.some((f) => f.span.file === '.vscode/tasks.json' && f.span.line > 22)).toBe(false);
  });
});
