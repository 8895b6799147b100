/**
 * The core rules end to end over fixture mini-repositories: rule id, file, line, column, level.
 * Positions were checked by hand against the fixture text (see the comments).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, brief, lintDir, lintFixture } from '../helpers.js';

describe('deno.json / deno.jsonc (fixtures/core-deno-json)', () => {
  it('reports every task, permission set and config key at the offending token, with context levels', async () => {
    const { findings } = await lintFixture('core-deno-json');
    expect(brief(findings)).toEqual([
      'allow-all deno.jsonc:4:24 warning', // "deno run -A": development lowers error → warning
      'ineffective-flag deno.jsonc:5:35 error', // object-form task: "--allow-net api.example.com" with a space
      'unscoped-grant deno.jsonc:6:26 note', // bare --allow-read, warning lowered to note
      'subprocess-escalation deno.jsonc:6:51 warning', // `bash` inside --allow-run=bash,git
      'ineffective-flag deno.jsonc:6:68 error', // --allow-env after the script
      'allow-all deno.jsonc:7:24 note', // deno test -A: test context, note at most
      'omitted-permissions deno.jsonc:8:14 warning', // deno eval, at the `deno` word
      'unsandboxed-runtime deno.jsonc:9:15 error', // node build.mjs
      'unsandboxed-runtime deno.jsonc:9:33 error', // bash scripts/gen.sh
      'ffi-grant deno.jsonc:11:22 warning',
      'unrestricted-import deno.jsonc:11:34 note',
      'lifecycle-scripts deno.jsonc:11:49 note',
      'omitted-permissions deno.jsonc:12:13 warning', // node_modules/.bin/vite run by deno task
      'deprecated-flag deno.jsonc:13:22 warning', // --unstable
      'ineffective-flag deno.jsonc:13:33 error', // --allow-hrtime, removed in Deno 2
      'insecure-tls deno.jsonc:14:22 error',
      'unfrozen-lockfile deno.jsonc:15:25 error', // --no-lock
      'invalid-permission deno.jsonc:16:22 error', // --allow-read=
      'invalid-permission deno.jsonc:16:48 error', // the URL value itself
      'invalid-permission deno.jsonc:16:74 error', // the sys name itself
      'allow-all deno.jsonc:17:27 warning',
      'invalid-permission deno.jsonc:17:30 error', // -A with --allow-read
      'invalid-permission deno.jsonc:18:22 error', // -P=missing
      'unscoped-grant deno.jsonc:21:38 note', // "net": true in a set
      'invalid-permission deno.jsonc:21:51 error', // unknown key
      'invalid-permission deno.jsonc:21:72 error', // plain string value
      'allow-all deno.jsonc:22:15 warning', // "all": true
      'unscoped-grant deno.jsonc:24:30 note', // test.permissions: test context
      'lifecycle-scripts deno.jsonc:25:3 note',
      'unfrozen-lockfile deno.jsonc:26:3 error', // "lock": false
    ]);
  });

  it('says what the runtime really grants when a value is separated by a space', async () => {
    const { findings } = await lintFixture('core-deno-json');
    const f = findings.find((x) => x.ruleId === 'ineffective-flag' && x.span.line === 5)!;
    expect(f.message).toContain('takes `api.example.com` as the script');
    expect(f.message).toContain('`--allow-net=api.example.com`');
    expect(f.span).toMatchObject({ line: 5, column: 35, endLine: 5, endColumn: 62 });
    // the mistake outranks its consequence: no unscoped-grant for the same flag
    expect(findings.filter((x) => x.span.line === 5).map((x) => x.ruleId)).toEqual(['ineffective-flag']);
  });

  it('one risk, one finding: -A subsumes the per-permission rules of the same invocation', async () => {
    const { findings } = await lintFixture('core-deno-json');
    expect(findings.filter((x) => x.span.line === 4).map((x) => x.ruleId)).toEqual(['allow-all']);
  });
});

describe('package.json scripts (fixtures/core-package-json)', () => {
  it('reads Node invocations, NODE_OPTIONS and cross-env', async () => {
    const { findings } = await lintFixture('core-package-json');
    expect(brief(findings)).toEqual([
      'ineffective-flag package.json:5:31 error', // --allow-net=api.example.com: boolean flag, value ignored
      'subprocess-escalation package.json:6:30 warning', // --allow-child-process
      'ffi-grant package.json:6:52 warning', // --allow-addons
      'invalid-permission package.json:7:18 error', // no --permission: a file-system grant stops Node (ERR_MISSING_OPTION)
      'ineffective-flag package.json:8:49 error', // comma list is one path
      'ineffective-flag package.json:9:40 error', // flag after the script
      'deprecated-flag package.json:10:18 warning', // --experimental-permission
      'unscoped-grant package.json:10:44 note', // --allow-fs-read=*
      'insecure-tls package.json:11:23 error', // cross-env NODE_TLS_REJECT_UNAUTHORIZED=0
      'unscoped-grant package.json:12:23 warning', // deno run --allow-write: write is an error, lowered
    ]);
  });

  it('NODE_OPTIONS switches the permission model on (no permission-model-disabled for `opts`)', async () => {
    const { model } = await lintFixture('core-package-json');
    const inv = model.invocations.find((i) => i.origin.name === 'opts')!;
    expect(inv.node?.enabled?.flag).toBe('--permission');
    expect(inv.effective.read.allow).toEqual(['/srv']);
    expect(inv.implicitAll).toBeUndefined();
  });
});

describe('shell scripts and shebangs (fixtures/core-shell)', () => {
  it('parses continuations, exec, sudo/env wrappers, subshells, literal variables and shebangs', async () => {
    const { findings, model } = await lintFixture('core-shell');
    expect(brief(findings)).toEqual([
      'over-grant cli.ts:1:28 warning', // cli.ts reads no file and no variable (section G)
      'over-grant cli.ts:1:43 warning',
      'unresolved-value scripts/dyn.sh:2:10 note', // $EXTRA_FLAGS is not set in the file
      'unscoped-grant scripts/dyn.sh:3:36 note', // sudo -u app env PORT=8080 deno run -N
      'subprocess-escalation scripts/start.sh:7:15 warning', // --allow-run=sh on a continuation line
      'over-grant tool:1:28 warning', // tool writes nothing
      'unscoped-grant tool:1:28 warning', // #!/usr/bin/env -S deno run --allow-write
    ]);
    // $READ_FLAGS resolves from the literal assignment earlier in the file
    const start = model.invocations.find((i) => i.origin.file === 'scripts/start.sh')!;
    expect(start.effective.read.allow).toEqual(['./data']);
    expect(start.entrypoint?.value).toBe('main.ts');
    // the subshell's command is found too
    expect(model.invocations.some((i) => i.origin.file === 'scripts/dyn.sh' && i.effective.env.allow.toString() === 'PORT')).toBe(true);
    // the shebang of cli.ts is read and scoped: no finding
    expect(model.invocations.some((i) => i.origin.file === 'cli.ts' && i.origin.source === 'shebang')).toBe(true);
  });

  it('never reports text in comments, echo or printf strings', async () => {
    const { findings, model } = await lintFixture('core-shell');
    expect(findings.filter((f) => f.span.file === 'echo.sh')).toEqual([]);
    expect(model.invocations.filter((i) => i.origin.file === 'echo.sh')).toEqual([]);
  });
});

describe('negative fixture (fixtures/core-clean)', () => {
  it('reports nothing for scoped grants, commands that take no permissions and a frozen lockfile', async () => {
    const { findings, model } = await lintFixture('core-clean');
    expect(findings).toEqual([]);
    expect(model.invocations.length).toBeGreaterThanOrEqual(4);
  });
});

describe('node.config.json (fixtures/core-node-config)', () => {
  it('a config file whose `permission` namespace is loaded switches the model on; nodeOptions alone does not', async () => {
    const { findings, model } = await lintFixture('core-node-config');
    expect(brief(findings)).toEqual([
      'subprocess-escalation api/node.config.json:4:5 warning', // "allow-child-process": true
      'invalid-permission api/package.json:4:19 error', // `bare` loads no config: a file-system grant without the model stops Node
      'permission-model-disabled web/node.config.json:1:20 error', // nodeOptions without "permission"
    ]);
    const start = model.invocations.find((i) => i.origin.file === 'api/package.json' && i.origin.name === 'start')!;
    expect(start.node?.enabled).toBeDefined();
    expect(start.effective.read.allow).toEqual(['./static', './data']);
    expect(start.effective.run.allow).toBe('all');
  });
});

describe('permission flags on subcommands that take none', () => {
  it('`deno fmt -A` and `deno lint --allow-read` are invalid-permission (Deno refuses them), never allow-all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-fmt-'));
    writeFileSync(join(dir, 'deno.json'), '{"tasks":{"f":"deno fmt -A","l":"deno lint --allow-read","t":"deno task -r build"}}');
    const { findings } = await lintDir(dir);
    expect(brief(findings)).toEqual(['invalid-permission deno.json:1:25 error', 'invalid-permission deno.json:1:44 error']);
  });
});

describe('Node flags against the Node version the repository pins (fixtures/core-node-pins)', () => {
  it('old Node: --experimental-permission is right, --permission and --allow-net do not exist; Node 24: the old name is gone', async () => {
    const { findings } = await lintFixture('core-node-pins');
    expect(brief(findings.filter((f) => f.ruleId !== 'vulnerable-runtime'))).toEqual([
      'invalid-permission new/Dockerfile:3:15 error', // node:24 image: removed, Node stops with `bad option`
      'deprecated-flag new/package.json:1:27 warning', // no pin applies to new/: plain deprecation
      'invalid-permission old/package.json:3:65 error', // Node 20 reads its entry file only with a grant covering it
      'ineffective-flag old/package.json:4:16 error', // --permission on 20.11.0
      'invalid-permission old/package.json:4:52 error',
      'ineffective-flag old/package.json:5:42 error', // --allow-net on 20.11.0
      'invalid-permission old/package.json:5:77 error',
    ]);
    expect(findings.find((f) => f.span.file === 'new/Dockerfile' && f.ruleId === 'invalid-permission')!.message).toContain('removed in Node 24');
    expect(findings.find((f) => f.span.file === 'old/package.json' && f.span.line === 3)!.message).toContain('ERR_ACCESS_DENIED');
    // `a` uses --experimental-permission under a pinned 20.x: correct there, no deprecation
    expect(findings.some((f) => f.span.file === 'old/package.json' && f.span.line === 3 && f.ruleId === 'deprecated-flag')).toBe(false);
  });
});

describe('a task that a deployment file runs (fixtures/demo)', () => {
  it('is judged in the deployment context at its own line, with the caller as a related location on every finding', async () => {
    const { findings } = await lintFixture('demo');
    const onStart = findings.filter((f) => f.span.file === 'deno.json' && f.span.line === 4);
    expect(onStart.map((f) => `${f.ruleId} ${f.level}`)).toEqual(['unfrozen-lockfile warning', 'allow-all error']);
    for (const f of onStart) {
      expect(f.related).toEqual([expect.objectContaining({ message: 'runs `start` in a deployment context', span: expect.objectContaining({ file: 'Dockerfile', line: 6 }) })]);
      expect(f.message).toContain('Dockerfile');
    }
  });
});

describe('setup-node `node-version-file` (fixtures/core-node-version-file)', () => {
  it('the named pin file decides the Node of the job, also when the repository is scanned from a parent folder', async () => {
    for (const [dir, paths, prefix] of [
      ['core-node-version-file', ['.'], ''],
      ['.', ['core-node-version-file'], 'core-node-version-file/'],
    ] as const) {
      const { findings } = await lintDir(join(FIXTURES, dir), [...paths]);
      expect(brief(findings.filter((f) => f.ruleId !== 'vulnerable-runtime'))).toEqual([
        `ineffective-flag ${prefix}.github/workflows/ci.yml:10:19 error`,
        // Node 20 cannot read its own entry file without a grant covering it
        `invalid-permission ${prefix}.github/workflows/ci.yml:10:55 error`,
      ]);
    }
  });
});
