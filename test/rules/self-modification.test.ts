import { describe, expect, it } from 'vitest';
import { lintFixture } from '../helpers.js';
import { at, modelOf, positions } from '../semantics/where.js';
import { runRules } from '../../src/engine.js';
import { selfModification } from '../../rules/self-modification.js';

const FX = 'paths-self-modification';
const RULE = 'self-modification';

describe('self-modification', () => {
  it('points at each write value that covers the entrypoint, the config, the lockfile, DENO_DIR or .git/hooks', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, RULE)).toEqual([
      at(FX, 'deno.json', '"dot"', '.', '--allow-write='),
      at(FX, 'deno.json', '"src"', './src'),
      at(FX, 'deno.json', '"lock"', 'deno.lock', '--allow-write='),
      at(FX, 'deno.json', '"cache"', '~/.cache'),
      at(FX, 'deno.json', '"denodir"', './.deno-cache', '--allow-write='),
      at(FX, 'deno.json', '"build"', '"."', '').replace(/:(\d+)$/, (_, c) => `:${Number(c) + 1}`),
      at(FX, 'deno.json', '"tools": { "write"', './tools'),
      at(FX, 'package.json', '"build"', './scripts'),
      at(FX, 'scripts/run.sh', 'allow-write=. ', '.', '--allow-write='),
      at(FX, 'tools/deno.json', '"gen"', '..'),
    ]);
  });

  it('never fires on write lists outside the code tree: ./out, /tmp/x, a sibling folder, ../out from a member', async () => {
    const { findings } = await lintFixture(FX);
    const lines = new Set(findings.filter((f) => f.ruleId === RULE).map((f) => `${f.span.file}:${f.span.line}`));
    const line = (file: string, has: string) => at(FX, file, has, has).split(':').slice(0, 2).join(':');
    for (const task of ['"out"', '"tmp"', '"sibling"', '"gen": { "write"']) expect(lines.has(line('deno.json', task)), task).toBe(false);
    expect(lines.has(line('package.json', '"dist"'))).toBe(false);
    expect(lines.has(line('tools/deno.json', '"gen-out"'))).toBe(false);
    expect(lines.has(line('scripts/run.sh', 'allow-write=./out'))).toBe(false);
    // bare -W is unscoped-grant, not also self-modification
    expect(positions(findings, 'unscoped-grant')).toContain(at(FX, 'deno.json', '"unscoped"', '-W'));
    expect(lines.has(line('deno.json', '"unscoped"'))).toBe(false);
  });

  it('resolves against the working directory: `..` from the tools member reaches the root lockfile and hooks', async () => {
    const { findings } = await lintFixture(FX);
    const f = findings.find((x) => x.ruleId === RULE && x.span.file === 'tools/deno.json')!;
    expect(f.message).toContain('`gen.ts` (its entrypoint)');
    expect(f.message).toContain('`tools/deno.json` (the deno.json that declares it)');
    expect(f.message).toContain('`deno.lock`');
    expect(f.message).toContain('`.git/hooks`');
    expect(f.message).toContain('write only where its output goes (for example `--allow-write=./out`)');
  });

  it('names the task that loads a permission set whose write list covers its entrypoint', async () => {
    const { findings } = await lintFixture(FX);
    const f = findings.find((x) => x.ruleId === RULE && x.span.line === Number(at(FX, 'deno.json', '"tools": { "write"', './tools').split(':')[1]))!;
    expect(f.message).toContain('`tools/gen.ts` (the entrypoint of `deno run tools/gen.ts` (task `use-tools`), which loads this set)');
    expect(f.message).toContain('`"write": ["./out"]`');
  });

  it('uses DENO_DIR from the command environment', async () => {
    const { findings } = await lintFixture(FX);
    const f = findings.find((x) => x.ruleId === RULE && x.message.includes('DENO_DIR `./.deno-cache`'));
    expect(f).toBeDefined();
  });

  it('maps the container WORKDIR onto the repository folder copied there (Dockerfile)', async () => {
    const DF = 'paths-dockerfile';
    const { findings } = await lintFixture(DF);
    expect(positions(findings, RULE)).toEqual([at(DF, 'Dockerfile', '--allow-write=/app', '/app', '--allow-write=')]);
    const f = findings.find((x) => x.ruleId === RULE)!;
    expect(f.level).toBe('error'); // deployment context
    expect(f.message).toContain('`main.ts` (its entrypoint), `Dockerfile` (the Dockerfile that runs it)');
    // /app/out and /tmp in Dockerfile.worker stay outside the code; /run/secrets/api_key is one deliberate file
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
