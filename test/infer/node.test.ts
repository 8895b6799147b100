/**
 * Node programs: module resolution (package.json `imports`/`exports`, node_modules as external
 * nodes, CommonJS bindings) and the Node API table (data/node-api-permissions.json, generated from the
 * Node 24 binary by scripts/gen-node-table.mjs), verified row by row: permlint's inference on each
 * probe's own code gives the kinds and paths the binary checked.
 */
import { describe, expect, it } from 'vitest';
import { inferEntrypoint } from '../../src/infer/index.js';
import { filesFs } from '../../src/infer/fs.js';
import type { Inference } from '../../src/model.js';
import NODE from '../../data/node-api-permissions.json' with { type: 'json' };

function needs(inf: Inference | undefined): string[] {
  return (inf?.needs ?? []).map((n) => `${n.kind}:${n.unscoped ? '*' : (n.value ?? '?')} ${n.span.file}:${n.span.line}`);
}

interface Row {
  api: string;
  code: string;
  args: (string | null)[];
  checks: { scope: string; permission: string; resource: string | null }[];
  denied: { code: string | null; permission: string | null; resource: string | null };
  needs: { kind: string; arg: number | null }[];
}
const ROWS = (NODE as unknown as { node: string; apis: Row[] }).apis;
const HEADER = "import fs from 'node:fs';\nimport fsp from 'node:fs/promises';\nimport cp from 'node:child_process';\nimport wt from 'node:worker_threads';\nimport { WASI } from 'node:wasi';\nimport { createRequire } from 'node:module';\n";
const KIND: Record<string, string> = { FileSystemRead: 'read', FileSystemWrite: 'write', ChildProcess: 'run', WorkerThreads: 'worker', WASI: 'wasi' };

describe('Node module resolution', () => {
  it('follows package.json imports (#x, patterns) and self-references through exports; node_modules packages are external nodes read from their folder', async () => {
    const inf = await inferEntrypoint(
      'app/main.mjs',
      filesFs({
        'package.json': JSON.stringify({ name: 'root' }),
        'app/package.json': JSON.stringify({ name: '@acme/app', type: 'module', imports: { '#lib/*': './lib/*.mjs', '#cfg': { node: './cfg.mjs', default: './nope.mjs' } }, exports: { '.': './main.mjs', './util': { import: './util.mjs' } } }),
        'app/main.mjs': 'import "#lib/a";\nimport "#cfg";\nimport "@acme/app/util";\nimport dep from "dep";\nimport "node:fs";\n',
        'app/lib/a.mjs': 'import { readFileSync } from "node:fs";\nreadFileSync("./a.txt");\n',
        'app/cfg.mjs': 'process.env.X;\n',
        'app/util.mjs': 'import cp from "node:child_process";\ncp.execFileSync("git", ["status"], { env: {} });\n',
        'node_modules/dep/package.json': JSON.stringify({ name: 'dep', exports: './index.js' }),
      }),
      'node',
      'app',
    );
    expect(inf?.modules.sort()).toEqual(['app/cfg.mjs', 'app/lib/a.mjs', 'app/main.mjs', 'app/util.mjs']);
    expect(needs(inf)).toEqual([
      // resolving `@acme/app/util` by name reads the package.json
      'read:./package.json app/main.mjs:3',
      'read:./a.txt app/lib/a.mjs:2',
      'run:git app/util.mjs:2',
      // Node reads every module it loads, and the package folder of each dependency
      'read:./main.mjs app/main.mjs:1',
      'read:./lib/a.mjs app/lib/a.mjs:1',
      'read:./cfg.mjs app/cfg.mjs:1',
      'read:./util.mjs app/util.mjs:1',
      'read:../node_modules/dep app/main.mjs:4',
    ]);
    expect(inf?.limits.map((l) => l.reason)).toEqual(['the dependency `dep` is not read (opaque)']);
  });

  it('binds CommonJS requires like imports, reads addons and WASI as their own kinds', async () => {
    const inf = await inferEntrypoint(
      'main.cjs',
      filesFs({
        'main.cjs': 'const fs = require("node:fs");\nconst { rmSync: rm } = require("fs");\nfs.readFileSync("./a.txt");\nrm("./old");\nprocess.dlopen(module, "./addon.node");\nrequire("./native.node");\nconst { WASI } = require("node:wasi");\nnew WASI({ version: "preview1" });\nconst data = require("./data.json");\n',
      }),
      'node',
    );
    expect(needs(inf)).toEqual([
      'read:./native.node main.cjs:6',
      'read:./data.json main.cjs:9',
      'read:./a.txt main.cjs:3',
      'write:./old main.cjs:4',
      'read:./old main.cjs:4',
      'ffi:./addon.node main.cjs:5',
      'ffi:./native.node main.cjs:6',
      'read:./native.node main.cjs:6',
      'wasi:? main.cjs:8',
      'read:./main.cjs main.cjs:1',
    ]);
  });
});

describe('Node API table (generated from the Node binary)', () => {
  it('was generated under Node 24 with --permission-audit and --permission, one row per probe', () => {
    expect((NODE as { node: string }).node).toMatch(/^24\./);
    expect(ROWS.length).toBeGreaterThanOrEqual(50);
  });

  it('each row: the --permission denial names a kind the audit or the row holds, and permlint infers exactly the checked kinds and paths from the probe code', async () => {
    const wrong: string[] = [];
    for (const r of ROWS) {
      if (r.denied.permission && !r.needs.some((n) => n.kind === KIND[r.denied.permission!])) wrong.push(`${r.api}: denial ${r.denied.permission} not in the row`);
      const inf = await inferEntrypoint('main.mjs', filesFs({ 'main.mjs': `${HEADER}${r.code}\n`, 'm.mjs': 'export {};\n', 'm.cjs': '' }), 'node');
      // the probe's own call (line 7; a module it loads is read where the module is): what the binary checked, as kind:value
      const loads = r.api === 'import()' || r.api === 'require()';
      const got = new Set((inf?.needs ?? []).filter((n) => (loads ? n.span.file !== 'main.mjs' : n.span.line === 7) && n.kind !== 'env' && n.api !== 'module loading' || (loads && n.span.file !== 'main.mjs')).map((n) => `${n.kind}:${n.kind === 'read' || n.kind === 'write' ? (n.value ?? '?') : ''}`));
      const want = new Set(r.needs.map((n) => `${n.kind}:${n.kind === 'read' || n.kind === 'write' ? (n.arg === null ? (r.checks.find((c) => KIND[c.permission] === n.kind)?.resource ?? '?') : r.args[n.arg]) : ''}`));
      if ([...want].sort().join(' ') !== [...got].sort().join(' ')) wrong.push(`${r.api}: binary ${[...want].join(' ')}; permlint ${[...got].join(' ')}`);
    }
    expect(wrong).toEqual([]);
  });
});
