import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { lintFixture } from '../helpers.js';
import { at } from '../semantics/where.js';

const FX = 'infer-rules';
const RULE = 'over-grant';

describe('over-grant', () => {
  it('points at each unused entry, unused flag and a bare flag the code could narrow, with the narrower grant', async () => {
    const { findings } = await lintFixture(FX);
    const mine = findings.filter((f) => f.ruleId === RULE);
    expect(mine.map((f) => `${f.span.file}:${f.span.line}:${f.span.column} ${f.level}`)).toEqual([
      `${at(FX, 'deno.json', '"start"', './old')} warning`,
      `${at(FX, 'deno.json', '"start"', '--allow-write')} warning`,
      `${at(FX, 'deno.json', '"start"', '--allow-net')} warning`,
    ]);
    expect(mine[0]!.message).toContain('use `--allow-read=./config.json,./static/about.html,./static/index.html`');
    expect(mine[1]!.message).toContain('is never used');
    expect(mine[2]!.message).toContain('use `--allow-net=127.0.0.1:8080,api.example.com:443`');
    // -A is allow-all's finding (one risk, one finding); `permlint infer` gives the flags instead
    // every use is a related location, in the module that makes the call
    expect(mine[2]!.related?.map((r) => `${r.span.file}:${r.span.line}`)).toEqual(['main.ts:10', 'main.ts:11']);
  });

  it('makes no value-level claim for a kind with a value it cannot fold, and no claim at all past an opaque dependency', async () => {
    const fs = memoryFs({
      'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-read=./a,./b --allow-net=x.com main.ts', b: 'deno run --allow-env --allow-write=./out dep.ts' } }),
      'main.ts': 'await Deno.readTextFile(Deno.args[0]!);\nawait Deno.readTextFile("./a/x");\n',
      'dep.ts': 'import chalk from "npm:chalk@5";\nconsole.log(chalk.red("x"));\n',
    });
    const { findings } = await lint(fs);
    const mine = findings.filter((f) => f.ruleId === RULE);
    // ./b cannot be called unused (Deno.args[0] may name it); x.com is unused (no net use at all)
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message).toMatch(/^`--allow-net=x\.com` of `deno run main\.ts` \(task `a`\) is never used/);
  });

  it('stops claims when the Deno object escapes or eval runs code', async () => {
    const fs = memoryFs({
      'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-read --allow-net main.ts' } }),
      'main.ts': 'const d = Deno;\nawait d.readTextFile("x");\n',
    });
    const { findings } = await lint(fs);
    expect(findings.filter((f) => f.ruleId === RULE)).toEqual([]);
  });

  it('still judges code that only asks whether Deno exists (typeof Deno)', async () => {
    const fs = memoryFs({
      'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-net main.ts' } }),
      'main.ts': 'if (typeof Deno !== "undefined") console.log(Deno.version);\n',
    });
    const { findings } = await lint(fs);
    expect(findings.filter((f) => f.ruleId === RULE).map((f) => f.message.slice(0, 30))).toEqual(['`--allow-net` of `deno run mai']);
  });
});
