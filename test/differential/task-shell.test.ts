/**
 * Differential test of deno_task_shell quoting against POSIX sh, with the real Deno 2.9.6: each
 * generated command line (`deno run <flags> probe.ts`, sometimes after `export V=… &&`) runs once
 * as a deno.json task (`deno task`, deno_task_shell: a backslash is kept unless it escapes `$`,
 * `"`, a space or a line break; `${V}` is not expanded) and once as the same text in a `.sh`
 * script run by `/bin/sh`. Each run's probe prints `Deno.permissions.querySync` for a fixed list;
 * the model reads the deno.json (task dialect) and the script (POSIX sh) through lint() — the
 * sources, the link phase, `queryDeno` — and must give the same answers, or the same refusal.
 * Answers are cached in test/differential/answers/deno-task-shell-2.9.6.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFatalDenoDiagnostic } from '../../src/grammar/deno.js';
import { queryDeno, type DenoDescriptor } from '../../src/grammar/query.js';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { AnswerCache, answerOf, keyOf } from './answers.js';
import { runtimes } from './runtimes.js';
import { pool, prng, probeFolder, run } from './util.js';
import { grammarMessage } from '../../src/messages/grammar.js';

const DENO_VERSION = '2.9.6';
const CASES = Number(process.env.PERMLINT_DIFF_TASK_CASES ?? 80);
const SEED = Number(process.env.PERMLINT_DIFF_SEED ?? 0x7a5c);

let base = '';

/** Flag words as written in the command text (raw shell/task-shell source). */
const WORDS = [
  String.raw`--allow-env=AWS_\*`,
  String.raw`--allow-env="AWS_\*"`,
  String.raw`--allow-env='AWS_\*'`,
  String.raw`--allow-env=AWS_\X`,
  String.raw`--allow-env=HOME\ ,AWS_REGION`,
  '--allow-env=HOME',
  String.raw`--allow-read=a\\b`,
  String.raw`--allow-read="a\\b"`,
  String.raw`--allow-read=a\b`,
  String.raw`--allow-read=sp\ ace`,
  String.raw`--allow-read="sp ace"`,
  '--allow-read=${V}/x',
  '--allow-read="${V}/x"',
  '--allow-read=$V/x',
  String.raw`--allow-read=\$V/x`,
  "--allow-read='$V/x'",
  '--allow-write=./data',
  String.raw`--allow-write=dat\a`,
  String.raw`--allow-write="./d\$ta"`,
];

function generate(): string[] {
  const r = prng(SEED);
  const out: string[] = [];
  for (let n = 0; n < CASES; n++) {
    const words = r.some(WORDS, 1, 3);
    // a variable the text does not set is not known statically (the model leaves it unresolved): set it whenever a word names it
    const prefix = r.chance(0.6) || words.some((w) => w.includes('V')) ? `export V=${r.pick(['./data', 'data', '/tmp'])} && ` : '';
    out.push(`${prefix}deno run --no-prompt ${words.join(' ')} probe.ts`);
  }
  return [...new Set(out)];
}

function probes(B: string): DenoDescriptor[] {
  const env = ['AWS_\\*', 'AWS_\\', 'AWS_X', 'AWS_\\X', 'AWS_REGION', 'HOME', 'HOME\\ '];
  const paths = ['a\\b', 'a\\\\b', 'ab', 'sp ace', 'sp\\ ace', 'data/x', 'data', '${V}/x', '$V/x', '/tmp/x', 'dat\\a', 'data/y', 'd$ta', 'd\\$ta'];
  return [
    ...env.map((variable): DenoDescriptor => ({ name: 'env', variable })),
    ...paths.map((p): DenoDescriptor => ({ name: 'read', path: p.startsWith('/') ? p : `${B}/${p}` })),
    ...paths.map((p): DenoDescriptor => ({ name: 'write', path: p.startsWith('/') ? p : `${B}/${p}` })),
  ];
}

beforeAll(() => {
  base = probeFolder('permlint-task-shell-', ['data']);
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe(`differential: deno_task_shell vs POSIX sh with deno ${DENO_VERSION}`, () => {
  it('the model reads a task as deno_task_shell and a script as sh, as the runtimes do, for every case', { timeout: 0 }, async () => {
    const descriptors = probes(base);
    writeFileSync(
      join(base, 'probe.ts'),
      `const ds = ${JSON.stringify(descriptors)};\n` +
        `console.log(JSON.stringify(ds.map((d) => { try { return Deno.permissions.querySync(d).state; } catch (e) { return 'error: ' + e.message; } })));\n`,
    );
    const cases = generate();
    const cache = new AnswerCache('deno-task-shell', DENO_VERSION, JSON.parse(JSON.stringify(descriptors).replaceAll(base, '$B')), {});
    const runs = cases.flatMap((text) => (['task', 'sh'] as const).map((how) => ({ text, how })));
    const keys = runs.map((x) => keyOf(base, { argv: [x.how], env: { TEXT: x.text }, cwd: base }));
    const missing = runs.flatMap((_x, i) => (cache.get(keys[i]!) ? [] : [i]));
    if (missing.length > 0) {
      const exe = (await runtimes()).denoBinary();
      const env = { PATH: `${dirname(exe)}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: join(base, 'home'), DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(base, '.deno_dir'), NO_COLOR: '1', DENO_NO_PROMPT: '1' };
      // one folder per run: a task needs its own deno.json
      await pool(missing, 2, async (i) => {
        const { text, how } = runs[i]!;
        const dir = join(base, `run-${i}`);
        mkdirSync(join(dir, 'data'), { recursive: true });
        writeFileSync(join(dir, 'probe.ts'), `const ds = ${JSON.stringify(descriptors).replaceAll(base, dir)};\nconsole.log(JSON.stringify(ds.map((d) => { try { return Deno.permissions.querySync(d).state; } catch (e) { return 'error: ' + e.message; } })));\n`);
        let res;
        if (how === 'task') {
          writeFileSync(join(dir, 'deno.json'), JSON.stringify({ tasks: { t: text } }));
          res = await run(exe, ['task', '-q', 't'], dir, env);
        } else {
          writeFileSync(join(dir, 'run.sh'), `${text}\n`);
          res = await run('/bin/sh', ['run.sh'], dir, env);
        }
        rmSync(dir, { recursive: true, force: true });
        cache.set(keys[i]!, answerOf(res, dir, (l) => /error/i.test(l)));
      });
    }
    cache.keepOnly(new Set(keys));
    cache.save();

    const failures: string[] = [];
    const agreed = { task: 0, sh: 0 };
    let refusedByBoth = 0;
    let differ = 0;
    for (const [i, { text, how }] of runs.entries()) {
      const real = cache.get(keys[i]!)!;
      const files: Record<string, string> = how === 'task' ? { 'deno.json': JSON.stringify({ tasks: { t: text } }) } : { 'run.sh': `#!/bin/sh\n${text}\n` };
      const { model } = await lint(memoryFs(files));
      const inv = model.invocations.find((x) => x.runtime === 'deno' && x.subcommand === 'run');
      const shown = `${how}: ${text}`;
      if (!inv) {
        failures.push(`${shown}\n    no deno run in the model`);
        continue;
      }
      const fatal = inv.diagnostics.filter(isFatalDenoDiagnostic).map((d) => grammarMessage(d));
      if (!real.ok) {
        if (fatal.length) {
          agreed[how]++;
          refusedByBoth++;
        } else failures.push(`${shown}\n    deno refused: ${real.error}\n    model accepted`);
        continue;
      }
      if (fatal.length) {
        failures.push(`${shown}\n    deno accepted\n    model refused: ${fatal.join('; ')}`);
        continue;
      }
      const got = descriptors.map((d) => queryDeno(inv.effective, d, base));
      const diffs = descriptors.flatMap((d, j) => (got[j] === real.states[j] ? [] : [`${JSON.stringify(d).replaceAll(base, '$B')}: deno ${String(real.states[j])}, model ${got[j]}`]));
      if (diffs.length === 0) agreed[how]++;
      else failures.push(`${shown}\n    ${diffs.slice(0, 6).join('\n    ')}`);
    }
    for (let i = 0; i < runs.length; i += 2) if (JSON.stringify(cache.get(keys[i]!)) !== JSON.stringify(cache.get(keys[i + 1]!))) differ++;
    console.log(
      `deno_task_shell vs sh with deno ${DENO_VERSION}: ${agreed.task}/${cases.length} tasks and ${agreed.sh}/${cases.length} scripts agreed (${differ} texts the two shells read differently, ${refusedByBoth} runs refused by both, ${descriptors.length} probes each; ${runs.length - missing.length} answered from ${cache.file.replace(/.*test\//, 'test/')}, ${missing.length} asked of the runtime)`,
    );
    expect(failures.slice(0, 12).join('\n\n').replaceAll(base, '$B'), `${failures.length} disagreements`).toBe('');
    expect(agreed.task + agreed.sh).toBe(runs.length);
  });
});
