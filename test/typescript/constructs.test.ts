import { describe, expect, it } from 'vitest';
import { lintFixture } from '../helpers.js';
import { positions, where } from './where.js';

describe('re-exported and renamed imports', () => {
  const FX = 'ts-reexport';
  it('follows `export { defineTask as task }` and `export * as ns` in a local module, whichever file is read first', async () => {
    const { findings, model } = await lintFixture(FX);
    const names = model.declarations.filter((d) => d.declaration === 'netscript-task').map((d) => d.name).sort();
    expect(names).toEqual(['invoice', 'late', 'late-all', 'sync', 'via-namespace']);
    // jobs/billing.ts is read before lib/workers.ts, src/late.ts after it
    expect(positions(findings, 'omitted-permissions')).toEqual([where(FX, 'jobs/billing.ts', "job('invoice')", 'job')]);
    expect(positions(findings, 'subprocess-escalation')).toEqual([where(FX, 'jobs/billing.ts', "job('sync')", 'presets.subprocess')]);
    expect(positions(findings, 'allow-all')).toEqual([where(FX, 'src/late.ts', "task('late-all')", 'p.allAccess')]);
    expect(positions(findings, 'unscoped-grant')).toEqual([
      where(FX, 'jobs/billing.ts', "job('sync')", 'presets.subprocess'),
      where(FX, 'jobs/ns.ts', 'via-namespace', 'write: true'),
      where(FX, 'src/late.ts', "task('late')", 'p.readOnly'),
    ]);
    // each task is in the model once, although its file was analysed again when the barrel arrived
    expect(new Set(model.declarations.map((d) => d.id)).size).toBe(model.declarations.length);
    const late = model.declarations.find((d) => d.name === 'late')!;
    expect(late.effective.env.allow).toEqual(['HOME']);
    expect(late.effective.read.allow).toBe('all');
  });
});

describe('look-alikes', () => {
  it('a file that mentions defineTask, Sandbox.create, Worker and Deno.Command only in comments and strings, or defines its own, is not flagged', async () => {
    const { findings, model } = await lintFixture('ts-negative');
    expect(findings).toEqual([]);
    expect(model.declarations).toEqual([]);
    expect(model.invocations).toEqual([]);
    expect(model.unresolved).toEqual([]);
  });
});

describe('malformed input', () => {
  it('a candidate file that does not parse is skipped and listed with the position the parser names, never a parse-error (it is only sniffed)', async () => {
    const { findings, model } = await lintFixture('ts-parse-error');
    expect(positions(findings, 'parse-error')).toEqual([]);
    const w = where('ts-parse-error', 'broken.ts', '.build()', ';', '.build()');
    expect(model.unscanned?.map((u) => u.path)).toEqual(['broken.ts']);
    expect(model.unscanned![0]!.reason).toContain('Expected `,` or `)`');
    expect(model.unscanned![0]!.reason).toContain(`(line ${w.split(':')[1]})`);
  });
});

describe('@deno/sandbox', () => {
  const FX = 'ts-sandbox';
  it('reads Sandbox.create under any local name (aliased import, require namespace) as a deployment declaration', async () => {
    const { model } = await lintFixture(FX);
    const boxes = model.declarations.filter((d) => d.declaration === 'sandbox');
    expect(boxes.map((d) => `${d.origin.file}:${d.name}`)).toEqual(['agent.ts:open', 'agent.ts:leaky', 'agent.ts:secretive', 'agent.ts:good', 'more.js:Sandbox.create']);
    for (const d of boxes) expect(d.context.kind).toBe('deployment');
    const open = boxes[0]!;
    expect(open.sandbox!.allowNet).toBeUndefined();
    expect(open.effective.net.allow).toBe('all');
    const secretive = boxes[2]!;
    expect(secretive.sandbox!.secrets.map((s) => [s.name, s.hosts.map((h) => h.value)])).toEqual([
      ['STRIPE_KEY', ['api.stripe.com']],
      ['HOOK_TOKEN', ['hooks.example.com']],
      ['PAGES_TOKEN', ['*.github.io']],
    ]);
    expect(secretive.effective.net.allow).toEqual(['api.stripe.com', '*.github.io']);
    const more = boxes[4]!;
    expect(more.sandbox!.allowNet!.hosts).toEqual([]);
    expect(more.sandbox!.env.map((e) => e.value.kind)).toEqual(['env-read']);
  });

  it('allowNet entries are net grants that the host rules see (wildcard-host)', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, 'wildcard-host')).toEqual([where(FX, 'agent.ts', "allowNet: ['api.stripe.com', '*.github.io']", '*.github.io')]);
  });
});

describe('Deno Workers', () => {
  const FX = 'ts-worker';
  it('reads deno.permissions "inherit", "none" and objects; Node worker_threads is not a Deno Worker', async () => {
    const { model } = await lintFixture(FX);
    const workers = model.declarations.filter((d) => d.declaration === 'worker');
    expect(workers.map((d) => `${d.origin.file}:${d.name}:${d.worker!.mode}`)).toEqual([
      'main.ts:./job.ts:inherit',
      'main.ts:./job.ts:none',
      'scoped.ts:./handler.ts:inherit',
      'server.ts:./handler.ts:inherit',
      'server.ts:./fetcher.ts:object',
    ]);
    const own = workers[4]!;
    expect(own.worker!.inheritKinds).toEqual(['run']);
    expect(own.effective.read.allow).toEqual(['./cache']);
    expect(own.effective.net.allow).toBe('all');
  });

  it('allow-all for "inherit" under an allow-all parent; unscoped-grant for the worker\'s own `net: true`', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, 'allow-all')).toEqual([where(FX, 'deno.json', '"start"', '-A'), where(FX, 'main.ts', "permissions: 'inherit'", 'permissions')]);
    const inherit = findings.find((f) => f.ruleId === 'allow-all' && f.span.file === 'main.ts')!;
    expect(inherit.related?.[0]?.span.file).toBe('deno.json');
    expect(positions(findings, 'unscoped-grant')).toContain(where(FX, 'server.ts', 'net: true', 'net: true'));
  });
});

describe('runtimes spawned from code', () => {
  const FX = 'ts-spawn';
  it('Deno.Command, spawn, execFile, exec and fork argv go through the runtime grammars', async () => {
    const { findings, model } = await lintFixture(FX);
    const inv = model.invocations.map((i) => `${i.command.value} ${i.argv.map((t) => t.value).join(' ')}`);
    expect(inv).toEqual([
      'deno run -A tool.ts',
      'deno run --allow-read=./data --frozen tool.ts',
      'node --permission --allow-fs-read=* server.js',
      'deno run ${...extra} main.ts',
      'deno eval console.log(Deno.env.toObject())',
      'node --permission --allow-child-process ./child.js --port 8080',
    ]);
    expect(model.commands.map((c) => c.program.value)).toContain('git');
    expect(positions(findings, 'allow-all')).toEqual([where(FX, 'spawner.ts', "new Deno.Command('deno'", '-A')]);
    expect(positions(findings, 'unscoped-grant')).toEqual([where(FX, 'spawner.ts', "run('node'", '--allow-fs-read=*')]);
    expect(positions(findings, 'unresolved-value')).toEqual([where(FX, 'spawner.ts', "execFile('deno'", '...extra')]);
    expect(positions(findings, 'omitted-permissions')).toEqual([where(FX, 'spawner.ts', 'cp.exec(', 'deno')]);
    expect(positions(findings, 'subprocess-escalation')).toEqual([where(FX, 'spawner.ts', 'cp.fork(', '--allow-child-process')]);
    // Deno.execPath() with a scoped read and --frozen: nothing
    const scopedLine = Number(where(FX, 'spawner.ts', 'Deno.execPath()', 'D').split(':')[1]);
    expect(findings.filter((f) => f.span.line === scopedLine)).toEqual([]);
  });
});
