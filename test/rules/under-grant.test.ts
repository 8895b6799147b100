import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { lintFixture } from '../helpers.js';
import { at } from '../semantics/where.js';

const FX = 'infer-rules';
const RULE = 'under-grant';

describe('under-grant', () => {
  it('reports each need the grants do not cover at the grant of that kind, with the call sites as related locations', async () => {
    const { findings } = await lintFixture(FX);
    const mine = findings.filter((f) => f.ruleId === RULE);
    expect(mine.map((f) => `${f.span.file}:${f.span.line}:${f.span.column} ${f.level}`)).toEqual([
      `${at(FX, 'deno.json', '"tight"', '--allow-read')} error`,
      `${at(FX, 'deno.json', '"tight"', '--allow-net')} error`,
    ]);
    expect(mine[0]!.message).toContain('needs `--allow-read=./config.json` for `Deno.readTextFile(CONFIG)` at main.ts:7');
    expect(mine[0]!.related?.map((r) => `${r.span.file}:${r.span.line}:${r.span.column}`)).toEqual([at(FX, 'main.ts', 'readTextFile(CONFIG)', 'Deno')]);
    expect(mine[1]!.message).toContain('`--allow-net=127.0.0.1:8080`');
  });

  it('is a note when the code handles the denial, and silent when the grant is unscoped or the value unknown under a partial grant', async () => {
    const config = JSON.stringify({ tasks: { a: 'deno run --allow-read=./data main.ts', b: 'deno run --allow-read main.ts' } });
    const fs = memoryFs({
      'deno.json': config,
      'main.ts': 'try {\n  await Deno.readTextFile("/etc/hosts");\n} catch {}\nawait Deno.readTextFile(Deno.args[0]!);\n',
    });
    const { findings } = await lint(fs);
    const mine = findings.filter((f) => f.ruleId === RULE);
    expect(mine.map((f) => `${f.span.line}:${f.span.column} ${f.level}`)).toEqual([`1:${config.indexOf('--allow-read=./data') + 1} note`]);
    expect(mine[0]!.related?.map((r) => `${r.span.file}:${r.span.line}:${r.span.column}`)).toEqual(['main.ts:2:9']);
    expect(mine[0]!.message).toContain('handles the denial');
  });

  it('needs unscoped grants where only those satisfy (symlink, env enumeration, LD_ in a child env)', async () => {
    const fs = memoryFs({
      'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-read=. --allow-write=. --allow-env=HOME --allow-run=ls main.ts' } }),
      'main.ts': 'await Deno.symlink("a", "b");\nDeno.env.toObject();\nnew Deno.Command("ls", { env: { LD_PRELOAD: "x.so" } });\n',
    });
    const { findings } = await lint(fs);
    const mine = findings.filter((f) => f.ruleId === RULE).map((f) => f.message);
    expect(mine).toHaveLength(4);
    expect(mine.filter((m) => m.includes('unscoped `--allow-read`'))).toHaveLength(1);
    expect(mine.filter((m) => m.includes('unscoped `--allow-write`'))).toHaveLength(1);
    expect(mine.filter((m) => m.includes('unscoped `--allow-env`'))).toHaveLength(1);
    expect(mine.filter((m) => m.includes('unscoped `--allow-run` (`LD_PRELOAD`'))).toHaveLength(1);
  });
});

describe('under-grant on optional arguments', () => {
  it('is a note for Deno.openKv(path) with a path it cannot fold (undefined opens the default database, which needs nothing)', async () => {
    const fs = memoryFs({
      'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-env --unstable-kv main.ts' } }),
      'main.ts': 'const kv = await Deno.openKv(Deno.env.get("KV_PATH"));\nkv.close();\n',
    });
    const { findings } = await lint(fs);
    expect(findings.filter((f) => f.ruleId === RULE).map((f) => `${f.level} ${f.message.includes('may not need it')}`)).toEqual(['note true', 'note true']);
  });
});

describe('under-grant under Node', () => {
  it('needs fs read for every module Node loads and --allow-child-process for child_process; net and env are not Node kinds', async () => {
    const fs = memoryFs({
      'package.json': JSON.stringify({ scripts: { start: 'node --permission --allow-fs-read=./data main.mjs' } }),
      'main.mjs': 'import { execFileSync } from "node:child_process";\nimport "./lib.mjs";\nexecFileSync("ls");\nawait fetch("https://example.com");\nprocess.env.HOME;\n',
      'lib.mjs': 'export {};\n',
    });
    const { findings } = await lint(fs);
    const mine = findings.filter((f) => f.ruleId === RULE).map((f) => f.message);
    expect(mine.filter((m) => m.includes('`--allow-fs-read=./main.mjs`'))).toHaveLength(1);
    expect(mine.filter((m) => m.includes('`--allow-fs-read=./lib.mjs`'))).toHaveLength(1);
    expect(mine.filter((m) => m.includes('`--allow-child-process`') && m.includes('ERR_ACCESS_DENIED'))).toHaveLength(1);
    expect(mine).toHaveLength(3);
  });
});

describe('under-grant on remote imports', () => {
  it('needs --allow-import for a host that is not a default import host, and for jsr: when a list replaces the defaults', async () => {
    const config = JSON.stringify({ tasks: { a: 'deno run main.ts', b: 'deno run --allow-import=example.com:443 main.ts', c: 'deno run --allow-import=example.com:443 jsr.ts', d: 'deno run jsr.ts' } });
    const fs = memoryFs({
      'deno.json': config,
      'main.ts': 'import "https://example.com/x.ts";\n',
      'jsr.ts': 'import "jsr:@std/path@1";\n',
    });
    const { findings } = await lint(fs);
    const mine = findings.filter((f) => f.ruleId === RULE);
    expect(mine.map((f) => `${f.level} ${f.span.column}`)).toEqual([`error ${config.indexOf('main.ts') + 1}`, `error ${config.indexOf('--allow-import=example.com:443 jsr.ts') + 1}`]);
    expect(mine[0]!.message).toContain('needs `--allow-import=example.com:443` for `https://example.com/x.ts` at main.ts:1');
    expect(mine[1]!.message).toContain('`--allow-import=jsr.io:443`');
  });
});
