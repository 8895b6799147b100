import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';

const FILES = {
  'deno.json': '{ "workspace": ["./svc"], "lock": { "frozen": true } }',
  'svc/deno.json': '{ "name": "@x/svc", "tasks": { "start": "deno run --allow-write=. main.ts" } }',
  'tools/deno.json': '{ "tasks": { "gen": "deno run --allow-write=. gen.ts" } }',
  'Dockerfile': 'FROM denoland/deno:2.1.4\nWORKDIR /app\nCOPY . .\nUSER deno\nCMD ["deno", "run", "--allow-net", "svc/main.ts"]\n',
  'scripts/run.sh': '#!/bin/sh\ndeno run --allow-read main.ts\n',
};

describe('link pass: nearest deno.json', () => {
  it('names the nearest config and the workspace root that owns the lockfile for every run', async () => {
    const { model } = await lint(memoryFs(FILES));
    const byName = (name: string) => model.invocations.find((i) => i.origin.name === name)!;
    expect(byName('start').context.denoConfig).toEqual({ file: 'svc/deno.json', workspaceRoot: 'deno.json' });
    // a folder under a workspace root: its lockfile is the root's
    expect(byName('gen').context.denoConfig).toEqual({ file: 'tools/deno.json', workspaceRoot: 'deno.json' });
    const sh = model.invocations.find((i) => i.origin.file === 'scripts/run.sh')!;
    expect(sh.context.denoConfig).toEqual({ file: 'deno.json', workspaceRoot: 'deno.json' });
  });

  it('leaves runs under no deno.json without one', async () => {
    const { model } = await lint(memoryFs({ 'a/run.sh': '#!/bin/sh\ndeno run x.ts\n' }));
    expect(model.invocations).toHaveLength(1);
    expect(model.invocations[0]!.context.denoConfig).toBeUndefined();
  });

  it('the rules use it: a member run is frozen by its workspace root, and not when the root does not freeze', async () => {
    const files = (lock: string) => ({
      'deno.json': `{ "workspace": ["./svc"]${lock} }`,
      'svc/deno.json': '{ "name": "@x/svc", "tasks": { "start": "deno run main.ts" } }',
      'Dockerfile': 'FROM denoland/deno:2.9.6\nWORKDIR /app\nCOPY . .\nWORKDIR /app/svc\nUSER deno\nCMD ["deno", "task", "start"]\n',
    });
    const unfrozen = async (lock: string) =>
      (await lint(memoryFs(files(lock)))).findings.filter((f) => f.ruleId === 'unfrozen-lockfile').map((f) => `${f.span.file}:${f.span.line}:${f.span.column}`);
    expect(await unfrozen(', "lock": { "frozen": true }')).toEqual([]);
    expect(await unfrozen('')).toEqual(['svc/deno.json:1:42']);
  });
});
