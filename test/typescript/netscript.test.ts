import { describe, expect, it } from 'vitest';
import { lintFixture } from '../helpers.js';
import { positions, where } from './where.js';

const FX = 'ts-netscript';

describe('NetScript task definitions', () => {
  it('reads builder chains into deployment declarations with runtime, timeout, retry and exact grant spans', async () => {
    const { model } = await lintFixture(FX);
    const tasks = model.declarations.filter((d) => d.declaration === 'netscript-task');
    expect(tasks.map((d) => d.name).sort()).toEqual(
      ['charge-customer', 'cleanup', 'computed', 'const-object', 'custom', 'daily-report', 'everything', 'fetcher', 'full', 'inline', 'merged', 'nightly-export', 'python-etl', 'scoped-export', 'spread'].sort(),
    );
    for (const d of tasks) expect(d.context.kind).toBe('deployment');
    const report = tasks.find((d) => d.name === 'daily-report')!;
    expect(report.netscript).toMatchObject({ runtime: 'deno', complete: true });
    expect(report.netscript!.timeout).toBeDefined();
    expect(report.netscript!.retry).toBeDefined();
    const net = report.permissions.find((g) => g.kind === 'net')!;
    expect(net.scope).not.toBe('all');
    const host = (net.scope as { value: string; span: { line: number; column: number; endColumn: number } }[])[0]!;
    expect(host.value).toBe('api.example.com');
    expect(`tasks.ts:${host.span.line}:${host.span.column}`).toBe(where(FX, 'workers/tasks.ts', "net: ['api.example.com']", 'api.example.com').replace('workers/', ''));
    expect(host.span.endColumn - host.span.column).toBe('api.example.com'.length);
    expect(report.effective.net.allow).toEqual(['api.example.com']);
    expect(report.effective.write.allow).toEqual([]);

    const inline = tasks.find((d) => d.name === 'inline')!;
    expect(inline.netscript!.inProcess).toBe(true);

    const charge = tasks.find((d) => d.name === 'charge-customer')!;
    expect(charge.netscript!.permissionsCall).toBeUndefined();
    expect(charge.effective.run.allow).toBe('all');
  });

  it('omitted-permissions: a deno task with no .permissions(…), at the defineTask call; not a handler task, not a task with permissions', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, 'omitted-permissions')).toEqual([
      // a declarative TaskConfig object with no `permissions`: at its `id`
      where(FX, 'workers/config.ts', "id: 'nightly-export'", 'id'),
      where(FX, 'workers/tasks.ts', "defineTask('charge-customer')", 'defineTask'),
    ]);
    const f = findings.find((x) => x.ruleId === 'omitted-permissions' && x.span.file === 'workers/tasks.ts')!;
    expect(f.level).toBe('error');
    expect(f.message).toContain('--allow-all');
  });

  it('allow-all: permissions.allAccess and permissions.full, at the preset reference, subsuming the per-kind rules', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, 'allow-all')).toEqual([
      where(FX, 'workers/tasks.ts', 'permissions.allAccess', 'permissions.allAccess'),
      where(FX, 'workers/tasks.ts', 'permissions.full', 'permissions.full'),
    ]);
    const lines = new Set([where(FX, 'workers/tasks.ts', 'permissions.allAccess', 'p'), where(FX, 'workers/tasks.ts', 'permissions.full', 'p')].map((p) => p.split(':')[1]));
    const others = findings.filter((f) => f.ruleId !== 'allow-all' && f.span.file === 'workers/tasks.ts' && lines.has(String(f.span.line)));
    expect(others).toEqual([]);
  });

  it('declarative TaskConfig objects (`: TaskConfig`, `satisfies Partial<TaskConfig>`) are tasks with the same defaults', async () => {
    const { findings, model } = await lintFixture(FX);
    const scoped = model.declarations.find((d) => d.name === 'scoped-export')!;
    expect(scoped.netscript!.timeout).toBeDefined();
    expect(scoped.netscript!.retry).toBeDefined();
    expect(scoped.effective.write.allow).toEqual(['./exports']);
    expect(positions(findings, 'unscoped-grant').filter((p) => p.startsWith('workers/config.ts'))).toEqual([where(FX, 'workers/config.ts', "permissions: { write: ['./exports']", 'net: true')]);
  });

  it('unscoped-grant, subprocess-escalation, ffi-grant: `true` values at their key', async () => {
    const { findings } = await lintFixture(FX);
    const line = "{ net: true, run: true, ffi: true, env: ['TOKEN'] }";
    expect(positions(findings, 'unscoped-grant').filter((p) => p.startsWith('workers/tasks.ts'))).toEqual([where(FX, 'workers/tasks.ts', line, 'net: true')]);
    expect(positions(findings, 'subprocess-escalation').filter((p) => p.startsWith('workers/tasks.ts'))).toEqual([where(FX, 'workers/tasks.ts', line, 'run: true')]);
    expect(positions(findings, 'ffi-grant')).toEqual([where(FX, 'workers/tasks.ts', line, 'ffi: true')]);
    // the scoped env list of the same task is not unscoped
    expect(positions(findings, 'unscoped-grant')).not.toContain(where(FX, 'workers/tasks.ts', line, 'env:'));
  });

  it('presets, spreads with overrides, createPermissionPreset, mergePermissions and const objects resolve to what NetScript emits', async () => {
    const { findings, model } = await lintFixture(FX);
    const task = (n: string) => model.declarations.find((d) => d.name === n)!;
    // { ...p.network, net: [...] }: the override wins, env stays from the preset
    expect(task('spread').effective.net.allow).toEqual(['api.example.com']);
    expect(task('spread').effective.env.allow).toBe('all');
    // createPermissionPreset({ run: ['deno'], env: false }) = minimal + overrides
    expect(task('custom').effective.run.allow).toEqual(['deno']);
    expect(task('custom').effective.env.allow).toEqual([]);
    // mergePermissions(scoped, { write: true, env: false }): true wins over the list
    expect(task('merged').effective.write.allow).toBe('all');
    expect(task('merged').effective.read.allow).toEqual(['./data']);
    // a const object of the same file: its keys are where the grant is written
    const constObj = task('const-object');
    expect(constObj.effective.write.allow).toEqual(['./out']);
    const w = constObj.permissions.find((g) => g.kind === 'write')!;
    expect(`workers/presets.ts:${w.span.line}:${w.span.column}`).toBe(where(FX, 'workers/presets.ts', 'const scoped', 'write:'));

    expect(positions(findings, 'unscoped-grant').filter((p) => p.startsWith('workers/presets.ts'))).toEqual([
      where(FX, 'workers/presets.ts', '...p.network', 'p.network'),
      where(FX, 'workers/presets.ts', 'mergePermissions(scoped', 'write: true'),
    ]);
    expect(positions(findings, 'subprocess-escalation').filter((p) => p.startsWith('workers/presets.ts'))).toEqual([
      where(FX, 'workers/presets.ts', "task('custom')", 'deno', "run: ['"),
    ]);
  });

  it('unsandboxed-runtime: .permissions(…) on a non-deno runtime, at the permissions call; a non-deno task without permissions is not reported', async () => {
    const { findings, model } = await lintFixture(FX);
    expect(positions(findings, 'unsandboxed-runtime')).toEqual([where(FX, 'workers/runtimes.ts', ".permissions({ net: ['db.internal'] })", 'permissions')]);
    const py = model.declarations.find((d) => d.name === 'python-etl')!;
    expect(py.permissions).toEqual([]);
    expect(py.netscript!.ignoredPermissions!.map((g) => g.kind)).toEqual(['net']);
    expect(findings.filter((f) => f.ruleId === 'omitted-permissions' && f.span.file === 'workers/runtimes.ts')).toEqual([]);
  });

  it('a permissions value that is not known statically is an unresolved-value note, never a guess', async () => {
    const { findings, model } = await lintFixture(FX);
    // `.permissions(flags)` with `const flags = getFlags()`: the note points at the value that is unknown
    expect(positions(findings, 'unresolved-value')).toEqual([where(FX, 'workers/runtimes.ts', 'const flags', 'getFlags()')]);
    const computed = model.declarations.find((d) => d.name === 'computed')!;
    expect(computed.permissions).toEqual([]);
    expect(findings.filter((f) => f.subject?.id === computed.id && f.ruleId !== 'unresolved-value')).toEqual([]);
  });
});
