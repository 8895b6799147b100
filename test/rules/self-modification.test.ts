import { describe, expect, it } from 'vitest';
import { fixtureFiles, ruleTester } from '../rule-tester.js';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { at, modelOf, positions } from '../semantics/where.js';
import { runRules } from '../../src/engine.js';
import { selfModification } from '../../rules/self-modification.js';

const FX = 'paths-self-modification';
const DF = 'paths-dockerfile';
const RULE = 'self-modification';

const loc = (fx: string, file: string, lineHas: string, token: string, after = '') => {
  const [, line, column] = at(fx, file, lineHas, token, after).split(':');
  return { file, line: Number(line), column: Number(column) };
};
/** A message that contains every one of these texts. */
const all = (...parts: string[]) => new RegExp(`^${parts.map((p) => `(?=.*${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`).join('')}`, 's');
/** A finding of the fixture: warning (error, one step lower in development). */
const w = (file: string, lineHas: string, token: string, message: string | RegExp, after = '') => ({
  ...loc(FX, file, lineHas, token, after),
  level: 'warning' as const,
  context: 'development' as const,
  message,
});
const tasks = (t: Record<string, string>) => JSON.stringify({ tasks: t }, null, 2);

ruleTester(RULE, {
  valid: [
    { name: 'a write list of ./out', files: { 'deno.json': tasks({ out: 'deno run --allow-write=./out main.ts' }), 'main.ts': '' } },
    { name: 'a write list outside the tree', files: { 'deno.json': tasks({ tmp: 'deno run --allow-write=/tmp/x main.ts' }), 'main.ts': '' } },
    { name: 'a sibling folder whose name starts like the code folder', files: { 'deno.json': tasks({ sibling: 'deno run --allow-write=./srcs src/main.ts' }), 'src/main.ts': '' } },
    { name: 'a permission set writing a generated folder', files: { 'deno.json': JSON.stringify({ permissions: { gen: { write: ['./generated'] } } }) } },
    { name: 'a Node script writing ./dist', files: { 'package.json': JSON.stringify({ scripts: { dist: 'node --permission --allow-fs-write=./dist scripts/build.js' } }), 'scripts/build.js': '' } },
    {
      name: '../out from a workspace member',
      files: { 'deno.json': JSON.stringify({ workspace: ['./tools'] }), 'tools/deno.json': tasks({ 'gen-out': 'deno run --allow-write=../out gen.ts' }), 'tools/gen.ts': '' },
    },
    { name: 'a shell script writing ./out', files: { 'scripts/run.sh': '#!/bin/sh\ndeno run --allow-write=./out ./main.ts\n', 'main.ts': '' } },
    // one risk, one finding: unscoped-grant's (checked below)
    { name: 'bare -W is left to unscoped-grant', files: { 'deno.json': tasks({ unscoped: 'deno run -W main.ts' }), 'main.ts': '' } },
    {
      name: 'a container writing /app/out and /tmp (outside the code copied to /app)',
      files: { 'Dockerfile.worker': fixtureFiles(DF)['Dockerfile.worker']!, 'main.ts': '' },
    },
  ],
  invalid: [
    {
      // none on the fixture's out, tmp, sibling, unscoped, gen, dist, gen-out and ./out entries: exactly these ten
      name: 'each write value that covers the entrypoint, the config, the lockfile, DENO_DIR or .git/hooks, resolved against the working directory',
      files: fixtureFiles(FX),
      errors: [
        w('deno.json', '"dot"', '.', all('`main.ts` (its entrypoint)', '`deno.json` (the deno.json that declares it)'), '--allow-write='),
        w('deno.json', '"src"', './src', '`src/main.ts` (its entrypoint)'),
        w('deno.json', '"lock"', 'deno.lock', 'rewrite `deno.lock`', '--allow-write='),
        w('deno.json', '"cache"', '~/.cache', '`~/.cache/deno` (DENO_DIR, the module cache)'),
        // DENO_DIR from the command environment
        w('deno.json', '"denodir"', './.deno-cache', 'DENO_DIR `./.deno-cache`', '--allow-write='),
        w('deno.json', '"build"', '.', '`deno.json` (the deno.json that declares these permissions)', '["'),
        // names the task that loads a permission set whose write list covers its entrypoint
        w(
          'deno.json',
          '"tools": { "write"',
          './tools',
          all('`tools/gen.ts` (the entrypoint of `deno run tools/gen.ts` (task `use-tools`), which loads this set)', '`"write": ["./out"]`'),
        ),
        w('package.json', '"build"', './scripts', all('`scripts/build.js` (its entrypoint)', '`--allow-fs-write=./out`')),
        w('scripts/run.sh', 'allow-write=. ', '.', '`scripts/run.sh` (the file that runs it)', '--allow-write='),
        // `..` from the tools member reaches the root lockfile and hooks
        w(
          'tools/deno.json',
          '"gen"',
          '..',
          all(
            '`gen.ts` (its entrypoint)',
            '`tools/deno.json` (the deno.json that declares it)',
            '`deno.lock`',
            '`.git/hooks`',
            'write only where its output goes (for example `--allow-write=./out`)',
          ),
        ),
      ],
    },
    {
      name: 'maps the container WORKDIR onto the repository folder copied there (Dockerfile, deployment level)',
      files: fixtureFiles(DF),
      errors: [
        {
          ...loc(DF, 'Dockerfile', '--allow-write=/app', '/app', '--allow-write='),
          level: 'error',
          context: 'deployment',
          message: '`main.ts` (its entrypoint), `Dockerfile` (the Dockerfile that runs it)',
        },
      ],
    },
  ],
});

describe('self-modification', () => {
  it('leaves bare -W to unscoped-grant (one risk, one finding)', async () => {
    const { findings } = await lint(memoryFs(fixtureFiles(FX)));
    expect(positions(findings, 'unscoped-grant')).toContain(at(FX, 'deno.json', '"unscoped"', '-W'));
    expect(findings.filter((f) => f.ruleId === RULE && f.span.line === Number(at(FX, 'deno.json', '"unscoped"', '-W').split(':')[1]))).toEqual([]);
  });

  it('/run/secrets/api_key in Dockerfile.worker is one deliberate file (no secret-exposure either)', async () => {
    const { findings } = await lint(memoryFs(fixtureFiles(DF)));
    expect(findings.filter((x) => x.span.file === 'Dockerfile.worker' && ['self-modification', 'secret-exposure'].includes(x.ruleId))).toEqual([]);
  });

  it('resolves against an absolute container working directory and respects trusted paths', () => {
    const model = modelOf([
      { text: 'deno run --allow-write=/app main.ts', context: { kind: 'deployment', cwd: '/app' } },
      { text: 'deno run --allow-write=/app/out main.ts', context: { kind: 'deployment', cwd: '/app' } },
      { text: 'deno run --allow-write=/srv main.ts', context: { kind: 'deployment', cwd: '/app' } },
    ]);
    const found = runRules(model, [selfModification]).findings;
    expect(found.map((f) => `${f.span.line}:${f.span.column}:${f.level}`)).toEqual(['1:24:error']);
    expect(found[0]!.message).toContain('`main.ts` (its entrypoint)');
    expect(runRules(model, [selfModification], { trusted: { hosts: [], paths: ['/app'], programs: [] } }).findings).toEqual([]);
  });

  it('leaves `deno compile` and `deno install -g` alone: the baked program runs from another folder', () => {
    const model = modelOf([
      { text: 'deno compile --allow-write=. main.ts', context: { kind: 'deployment', cwd: '' } },
      { text: 'deno install -g --allow-write=. jsr:@acme/tool@1.0.0', context: { kind: 'deployment', cwd: '' } },
      { text: 'deno run --allow-write=. main.ts', context: { kind: 'deployment', cwd: '' } },
    ]);
    expect(runRules(model, [selfModification]).findings.map((f) => f.subject?.id)).toEqual([model.invocations[2]!.id]);
    expect(model.invocations.map((i) => i.subcommand)).toEqual(['compile', 'install', 'run']);
  });
});
