/** Pins attached by the link phase re-evaluate what depends on the runtime version (lint() end to end). */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { buildInventory } from '../../src/audit/inventory.js';

const brief = (fs: { ruleId: string; span: { file: string; line: number; column: number }; level: string }[]) => fs.map((f) => `${f.ruleId} ${f.span.file}:${f.span.line}:${f.span.column} ${f.level}`);

describe('a Deno pin file re-reads `deno install`', () => {
  const files = (pin?: [string, string]) => ({
    'deno.json': '{ "tasks": { "tool": "deno install --allow-net main.ts" } }',
    'Dockerfile': 'FROM debian:12\nUSER app\nRUN deno install --allow-read main.ts\n',
    ...(pin ? { [pin[0]]: pin[1] } : {}),
  });

  it('Deno 1.x (.dvmrc): `deno install` without -g is the global installer, its flags are valid and no project lockfile is involved', async () => {
    const { findings, model } = await lint(memoryFs(files(['.dvmrc', '1.46.3\n'])));
    const rules = findings.filter((f) => ['invalid-permission', 'unfrozen-lockfile'].includes(f.ruleId));
    expect(brief(rules)).toEqual([]);
    const tool = model.invocations.find((i) => i.origin.name === 'tool')!;
    expect(tool.installsGlobally).toBe(true);
    expect(tool.entrypoint?.value).toBe('main.ts');
    expect(model.commands.find((c) => c.invocationId === tool.id)?.packageManager?.global).toBe(true);
    const entry = buildInventory(model).find((e) => e.key === 'task:tool')!;
    expect(entry.permissions.net).toBe('all');
    expect(entry.startup).toEqual({ starts: true });
  });

  it('the same files under Deno 2 (.tool-versions) or no pin: permission flags refuse a local install, which can rewrite deno.lock', async () => {
    for (const pin of [['.tool-versions', 'deno 2.9.6\n'], undefined] as const) {
      const { findings, model } = await lint(memoryFs(files(pin ? [pin[0], pin[1]] : undefined)));
      const rules = findings.filter((f) => ['invalid-permission', 'unfrozen-lockfile'].includes(f.ruleId));
      expect(brief(rules), String(pin)).toEqual(['unfrozen-lockfile Dockerfile:3:5 warning', 'invalid-permission Dockerfile:3:18 error', 'invalid-permission deno.json:1:36 error']);
      expect(model.invocations.find((i) => i.origin.name === 'tool')!.installsGlobally).toBeUndefined();
      expect(buildInventory(model).find((e) => e.key === 'task:tool')!.startup?.starts).toBe(false);
    }
  });

  it('Deno 1.x: --allow-hrtime works and bare --unstable is not deprecated; Deno 2 says both', async () => {
    const tasks = '{ "tasks": { "a": "deno run --allow-hrtime --unstable main.ts" } }';
    const of = async (pin: Record<string, string>) => brief((await lint(memoryFs({ 'deno.json': tasks, ...pin }))).findings.filter((f) => ['ineffective-flag', 'deprecated-flag'].includes(f.ruleId)));
    expect(await of({ '.dvmrc': '1.46.3' })).toEqual([]);
    expect(await of({ '.dvmrc': '2.9.6' })).toEqual(['ineffective-flag deno.json:1:29 error', 'deprecated-flag deno.json:1:44 warning']);
  });
});

describe('a Node pin file re-evaluates the effective permissions', () => {
  const files = (pin: Record<string, string>) => ({
    'scripts/serve.sh': '#!/bin/sh\nnode --permission --allow-fs-read=/data server.js\n',
    ...pin,
  });
  const effective = async (pin: Record<string, string>) => {
    const { model } = await lint(memoryFs(files(pin)));
    const inv = model.invocations.find((i) => i.origin.file === 'scripts/serve.sh')!;
    return { read: inv.effective.read.allow, net: inv.effective.net.allow };
  };

  it('Node 22.23.5 (.nvmrc) reads its entry file without a grant and does not gate the network', async () => {
    expect(await effective({ '.nvmrc': '22.23.5\n' })).toEqual({ read: ['/data', 'server.js'], net: 'all' });
  });

  it('Node 24 from package.json engines: the same; no pin: only what is written', async () => {
    expect(await effective({ 'package.json': '{ "engines": { "node": "24.11.1" } }' })).toEqual({ read: ['/data', 'server.js'], net: 'all' });
    expect(await effective({})).toEqual({ read: ['/data'], net: [] });
  });

  it('Node 20 (.node-version) needs a grant for its entry file: no implicit read, and the start-up refusal is reported', async () => {
    const line = 'node --experimental-permission --allow-fs-read=/data /srv/server.js';
    const pinned = { '.node-version': '20.20.2\n', 'scripts/serve.sh': `#!/bin/sh\n${line}\n` };
    const { model, findings } = await lint(memoryFs(pinned));
    const inv = model.invocations.find((i) => i.origin.file === 'scripts/serve.sh')!;
    expect(inv.effective.read.allow).toEqual(['/data']);
    expect(inv.effective.net.allow).toBe('all');
    expect(brief(findings.filter((f) => f.ruleId === 'invalid-permission'))).toEqual([`invalid-permission scripts/serve.sh:2:${line.indexOf('/srv') + 1} error`]);
    // Node 22.23.5 reads it implicitly: no refusal
    const later = await lint(memoryFs({ ...pinned, '.node-version': '22.23.5\n' }));
    expect(later.findings.filter((f) => f.ruleId === 'invalid-permission')).toEqual([]);
    expect(later.model.invocations.find((i) => i.origin.file === 'scripts/serve.sh')!.effective.read.allow).toEqual(['/data', '/srv/server.js']);
  });
});

describe('Deno 1.x does not gate imports (checked with Deno 1.46.3: `--allow-import` is Deno 2)', () => {
  const files = (pin: [string, string] | undefined, task = 'deno run --allow-read main.ts') => ({
    'deno.json': `{ "tasks": { "start": "${task}" } }`,
    ...(pin ? { [pin[0]]: pin[1] } : {}),
  });

  it('under a 1.x pin the import kind is unrestricted, and the audit says why (an implicit grant of every host)', async () => {
    const { model } = await lint(memoryFs(files(['.dvmrc', '1.46.3\n'])));
    const entry = buildInventory(model).find((e) => e.key === 'task:start')!;
    expect(entry.permissions.import).toBe('all');
    expect(entry.grants?.import?.allow).toBe('all');
    expect(entry.implicitGrants?.filter((g) => g.kind === 'import')).toEqual([
      { kind: 'import', values: ['*'], why: 'Deno 1.x does not gate imports: a module from any host loads without a flag (`--allow-import` is Deno 2)' },
    ]);
  });

  it('under Deno 2 or no pin: only the default import hosts', async () => {
    for (const pin of [['.dvmrc', '2.9.6\n'], undefined] as const) {
      const { model } = await lint(memoryFs(files(pin ? [pin[0], pin[1]] : undefined)));
      const entry = buildInventory(model).find((e) => e.key === 'task:start')!;
      expect(entry.permissions.import, String(pin)).not.toBe('all');
      expect(entry.implicitGrants?.find((g) => g.kind === 'import')?.values, String(pin)).toContain('deno.land:443');
    }
  });

  it('`--allow-import` / `-I` / `--deny-import` under a 1.x pin: Deno 1.x stops at start-up (invalid-permission); not without a pin or under 2.x', async () => {
    for (const flag of ['--allow-import=example.com', '-I', '--deny-import=evil.example']) {
      if (flag.startsWith('--deny')) {
        // --deny-import arrived in 2.4.0: a 2.3 pin refuses it too
        const d23 = await lint(memoryFs(files(['.dvmrc', '2.3.7\n'], `deno run --allow-read ${flag} main.ts`)));
        expect(brief(d23.findings.filter((f) => f.ruleId === 'invalid-permission'))).toHaveLength(1);
      }
      const task = `deno run --allow-read ${flag} main.ts`;
      const col = 1 + '{ "tasks": { "start": "'.length + 'deno run --allow-read '.length;
      const deno1 = await lint(memoryFs(files(['.dvmrc', '1.46.3\n'], task)));
      expect(brief(deno1.findings.filter((f) => f.ruleId === 'invalid-permission')), flag).toEqual([`invalid-permission deno.json:1:${col} error`]);
      expect(buildInventory(deno1.model).find((e) => e.key === 'task:start')!.startup?.starts, flag).toBe(false);
      for (const pin of [['.dvmrc', '2.9.6\n'], undefined] as const) {
        const { findings, model } = await lint(memoryFs(files(pin ? [pin[0], pin[1]] : undefined, task)));
        expect(brief(findings.filter((f) => f.ruleId === 'invalid-permission')), `${flag} ${String(pin)}`).toEqual([]);
        expect(buildInventory(model).find((e) => e.key === 'task:start')!.startup?.starts).toBe(true);
      }
    }
  });
});

describe('a node.config.json that switches the model on lifts every "without the model" refusal of the argv', () => {
  const files = (script: string) => ({
    '.nvmrc': '26.12.1\n',
    'node.config.json': '{ "permission": { "allow-fs-read": ["./data"] } }\n',
    'package.json': `{ "scripts": { "start": "${script}" } }\n`,
  });
  const refusals = (f: { ruleId: string; message: string; span: { file: string; line: number; column: number }; level: string }[]) => brief(f.filter((x) => x.ruleId === 'invalid-permission'));

  it('Node 26: a boolean grant that is not a permission of its own (--allow-fs-vfs) no longer stops Node once the config turns the model on', async () => {
    const { findings, model } = await lint(memoryFs(files('node --experimental-config-file=node.config.json --allow-fs-vfs server.js')));
    expect(refusals(findings)).toEqual([]);
    expect(model.invocations[0]!.node?.enabled).toBeDefined();
  });

  it('without the config file the same flag stops Node 26 at start-up (ERR_MISSING_OPTION)', async () => {
    const { findings } = await lint(memoryFs(files('node --allow-fs-vfs server.js')));
    expect(refusals(findings)).toEqual(['invalid-permission package.json:1:31 error']);
  });
});
