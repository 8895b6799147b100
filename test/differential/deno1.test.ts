/**
 * Differential test of what a Deno 1.x pin changes, against the real Deno 1.46.3 (the last 1.x
 * the `deno` npm package ships; scripts/runtimes.mjs installs it into .cache/runtimes): imports are
 * not gated before Deno 2 (no `--allow-import`), and the import flags Deno 2 added stop 1.x at
 * start-up. Each generated flag set runs a probe that imports a module from a local HTTP server
 * (not one of Deno 2's default import hosts) and prints whether it loaded. The model is the whole
 * pipeline: `deno run <flags> probe.ts` in a script next to a `.dvmrc` pin, through lint(), the
 * link phase and `queryDeno`. Answers are cached in test/differential/answers/deno1-1.46.3.json.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrammarDiagnostic } from '../../src/model.js';
import { queryDeno } from '../../src/grammar/query.js';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { AnswerCache, answerOf, keyOf } from './answers.js';
import { runtimes } from './runtimes.js';
import { pool, prng, run } from './util.js';
import { grammarMessage } from '../../src/messages/grammar.js';

const VERSION = '1.46.3';
const SETS = Number(process.env.PERMLINT_DIFF_DENO1_SETS ?? 120);
const SEED = Number(process.env.PERMLINT_DIFF_SEED ?? 0xd1d1);
const FATAL = new Set<GrammarDiagnostic['code']>([
  'empty-value', 'invalid-host', 'invalid-sys', 'invalid-env', 'allow-all-conflict', 'unknown-permission-set', 'permissions-not-accepted', 'unknown-flag',
  'unknown-permission-flag', 'refused-at-start', 'lock-swallows-script', 'flag-not-in-version',
]);

/** Flags of Deno 1.x and of Deno 2 (the import flags), with and without values. */
const WORDS = [
  '--allow-read', '-R', '--allow-net=example.com', '-N', '--deny-net', '--deny-net=127.0.0.1', '-A', '--allow-env=HOME', '--allow-hrtime',
  '--allow-import', '--allow-import=127.0.0.1', '-I', '--deny-import=127.0.0.1', '--allow-import=example.com',
];

function generate(): string[][] {
  const r = prng(SEED);
  const out: string[][] = [[]];
  for (const w of WORDS) out.push([w]);
  while (out.length < SETS) out.push([...new Set(r.some(WORDS, 1, 3))]);
  return out;
}

let base = '';
let server: Server | undefined;
let port = 0;

beforeAll(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'permlint-deno1-')));
  server = createServer((req, res) => {
    if (req.url === '/mod.ts') {
      res.writeHead(200, { 'content-type': 'application/typescript' });
      res.end('export const x = 1;\n');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  if (base) rmSync(base, { recursive: true, force: true });
});

describe(`differential: a Deno 1.x pin vs deno ${VERSION}`, () => {
  it('imports are not gated, and Deno 2 import flags stop 1.x, as the model says for every flag set', { timeout: 0 }, async () => {
    const sets = generate();
    // the probe: one import from a host that is not a default import host of Deno 2
    const probe = `try { await import("http://127.0.0.1:${port}/mod.ts"); console.log(JSON.stringify(["loaded"])); } catch (e) { console.log(JSON.stringify([e instanceof Deno.errors.PermissionDenied || /Requires import access/.test(String(e)) ? "denied" : "failed: " + String(e).split("\\n")[0]])); }\n`;
    writeFileSync(join(base, 'probe.ts'), probe);
    const cache = new AnswerCache('deno1', VERSION, ['import 127.0.0.1:<port>'], {});
    const keys = sets.map((argv) => keyOf(base, { argv: ['deno', 'run', '--no-config', ...argv, 'probe.ts'], env: {}, cwd: base }));
    const missing = sets.flatMap((_, i) => (cache.get(keys[i]!) ? [] : [i]));
    if (missing.length > 0) {
      const exe = (await runtimes()).deno1Binary();
      await pool(missing, 2, async (i) => {
        const dir = join(base, `deno-dir-${i}`);
        mkdirSync(dir, { recursive: true });
        const res = await run(exe, ['run', '--no-config', ...sets[i]!, 'probe.ts'], base, { DENO_DIR: dir, NO_COLOR: '1', PATH: process.env.PATH ?? '/usr/bin:/bin' });
        cache.set(keys[i]!, answerOf(res, base, (l) => /error/i.test(l)));
      });
    }
    cache.keepOnly(new Set(keys));
    cache.save();

    const failures: string[] = [];
    let agreed = 0;
    let refused = 0;
    let loaded = 0;
    for (const [i, argv] of sets.entries()) {
      const real = cache.get(keys[i]!)!;
      const { model } = await lint(memoryFs({ 'run.sh': `deno run ${argv.join(' ')} probe.ts\n`, '.dvmrc': `${VERSION}\n` }));
      const inv = model.invocations.find((x) => x.runtime === 'deno' && x.origin.file === 'run.sh');
      const shown = `deno run ${argv.join(' ')} probe.ts`;
      if (!inv) {
        failures.push(`${shown}\n    no invocation in the model`);
        continue;
      }
      const fatal = inv.diagnostics.filter((d) => FATAL.has(d.code) && (!d.versions || semver.satisfies(VERSION, d.versions.range))).map((d) => `${d.code}: ${grammarMessage(d)}`);
      if (!real.ok) {
        if (fatal.length) {
          agreed++;
          refused++;
        } else failures.push(`${shown}\n    deno ${VERSION} refused: ${real.error}\n    model accepted`);
        continue;
      }
      if (fatal.length) {
        failures.push(`${shown}\n    deno ${VERSION} started\n    model refused: ${fatal.join('; ')}`);
        continue;
      }
      const state = String(real.states[0]);
      const model1 = queryDeno(inv.effective, { name: 'import', host: `127.0.0.1:${port}` }, '/') === 'granted' ? 'loaded' : 'denied';
      if (state === model1) {
        agreed++;
        if (state === 'loaded') loaded++;
      } else failures.push(`${shown}\n    deno ${VERSION}: ${state}; model: ${model1}`);
    }
    console.log(
      `${agreed}/${sets.length} flag sets agreed with deno ${VERSION} under a 1.x pin (${refused} refused by both, ${loaded} loaded a remote module from a non-default host; ${sets.length - missing.length} answered from ${cache.file.replace(/.*test\//, 'test/')}, ${missing.length} asked of the runtime)`,
    );
    expect(failures.slice(0, 10).join('\n\n'), `${failures.length} disagreements`).toBe('');
    expect(agreed).toBe(sets.length);
    // the probe did load remote modules (a broken server would make every answer "failed")
    expect(loaded).toBeGreaterThan(0);
  });
});
