import { fixtureFiles, ruleTester } from '../rule-tester.js';
import { at } from '../semantics/where.js';

const FX = 'infer-rules';
const RULE = 'over-grant';

/** Line and column of `token` on the only line of a fixture file that contains `lineHas` (from the fixture text). */
const loc = (file: string, lineHas: string, token: string) => {
  const [, line, column] = at(FX, file, lineHas, token).split(':');
  return { file, line: Number(line), column: Number(column) };
};

/** The fixture's program with exactly the grants it needs (the narrower grants the rule suggests for the "start" task). */
const exact = {
  ...fixtureFiles(FX),
  'deno.json': JSON.stringify({
    imports: { '@std/path': 'jsr:@std/path@^1' },
    tasks: { start: 'deno run --allow-read=./config.json,./static/about.html,./static/index.html --allow-env=PORT --allow-net=127.0.0.1:8080,api.example.com:443 main.ts' },
  }),
};

const symlinkEnvRun = 'await Deno.symlink("a", "b");\nDeno.env.toObject();\nnew Deno.Command("ls", { env: { LD_PRELOAD: "x.so" } });\n';

ruleTester(RULE, {
  valid: [
    { name: 'the fixture program granted exactly what it reads, its env variable and the hosts it serves and fetches', files: exact },
    {
      name: 'unscoped grants where only those satisfy (symlink, env enumeration, LD_ in a child env)',
      files: { 'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-read --allow-write --allow-env --allow-run main.ts' } }), 'main.ts': symlinkEnvRun },
    },
    {
      // no claim when the Deno object escapes or eval runs code
      name: 'the Deno object escapes (const d = Deno)',
      files: { 'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-read --allow-net main.ts' } }), 'main.ts': 'const d = Deno;\nawait d.readTextFile("x");\n' },
    },
  ],
  invalid: [
    {
      // the "tight" task is under-grant's; -A ("all") is allow-all's finding (one risk, one finding); `permlint infer` gives the flags instead
      name: 'each unused entry, unused flag and a bare flag the code could narrow, with the narrower grant; every use is a related location in the module that makes the call',
      files: fixtureFiles(FX),
      errors: [
        { ...loc('deno.json', '"start"', './old'), level: 'warning', message: 'use `--allow-read=./config.json,./static/about.html,./static/index.html`' },
        { ...loc('deno.json', '"start"', '--allow-write'), level: 'warning', message: 'is never used' },
        {
          ...loc('deno.json', '"start"', '--allow-net'),
          level: 'warning',
          message: 'use `--allow-net=127.0.0.1:8080,api.example.com:443`',
          related: [
            { file: 'main.ts', line: 10 },
            { file: 'main.ts', line: 11 },
          ],
        },
      ],
    },
    {
      // ./b cannot be called unused (Deno.args[0] may name it); x.com is unused (no net use at all); nothing past the opaque npm: dependency of task b
      name: 'no value-level claim for a kind with a value it cannot fold, and no claim at all past an opaque dependency',
      files: {
        'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-read=./a,./b --allow-net=x.com main.ts', b: 'deno run --allow-env --allow-write=./out dep.ts' } }),
        'main.ts': 'await Deno.readTextFile(Deno.args[0]!);\nawait Deno.readTextFile("./a/x");\n',
        'dep.ts': 'import chalk from "npm:chalk@5";\nconsole.log(chalk.red("x"));\n',
      },
      errors: [{ file: 'deno.json', at: '--allow-net=x.com', level: 'warning', message: /^`--allow-net=x\.com` of `deno run main\.ts` \(task `a`\) is never used/ }],
    },
    {
      name: 'still judges code that only asks whether Deno exists (typeof Deno)',
      files: { 'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-net main.ts' } }), 'main.ts': 'if (typeof Deno !== "undefined") console.log(Deno.version);\n' },
      errors: [{ file: 'deno.json', at: '--allow-net', level: 'warning', message: /^`--allow-net` of `deno run mai/ }],
    },
  ],
});
