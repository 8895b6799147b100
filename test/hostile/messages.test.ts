/**
 * Messages quote at most a short, elided excerpt of any token (issue 16): every fixture tree of
 * every source kind is linted with a 100 KB word written where its commands are (the entrypoint
 * `main.ts` and a `--allow-read=` value), and no finding's message, related message, detail or
 * cause may hold more than MAX_EXCERPT characters of it, or be longer than MAX_MESSAGE. The
 * cut is shortFinding (src/report/escape.ts), applied once by lint() to every finding.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { MAX_EXCERPT, MAX_MESSAGE, shortMessage } from '../../src/report/escape.js';
import { FIXTURES } from '../helpers.js';

const LONG = 'x'.repeat(100_000);
const ENTRY = `m${LONG}.ts`;

function files(dir: string, out: Record<string, string> = {}, root = dir): Record<string, string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out, root);
    else out[relative(root, p)] = readFileSync(p, 'utf8').replaceAll('main.ts', ENTRY).replaceAll('deno run ', `deno run --allow-read=/${LONG} `);
  }
  return out;
}

describe('shortMessage', () => {
  it.each([
    ['a code span', `the task \`${LONG}\` grants everything`],
    ['a run without spaces', `the program /${LONG} is not known`],
    ['many long words', `${'y'.repeat(90)} `.repeat(2000)],
  ])('%s is cut to an excerpt', (_name, m) => {
    const s = shortMessage(m);
    expect(s.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(s).not.toMatch(new RegExp(`[xy]{${MAX_EXCERPT + 1}}`));
    expect(s).toMatch(/x…x|y…y/);
  });

  it('cuts exactly the runs of more than MAX_EXCERPT non-blank characters, wherever they start (blanks outside ASCII too)', () => {
    const run = (c: string, n: number) => c.repeat(n);
    const m = `${run('a', 81)} ${run('b', 80)}\u00a0${run('c', 200)}\t${run('d', 79)}\u2028x${run('e', 90)}, ${'f'.repeat(40)}`;
    const want = m.replace(new RegExp(`[^\\s]{${MAX_EXCERPT + 1},}`, 'g'), (r) => `${r.slice(0, 48)}…${r.slice(r.length - 31)}`);
    expect(shortMessage(m)).toBe(want);
    expect(shortMessage(m)).toContain(` ${run('b', 80)}\u00a0`);
  });

  it('keeps short messages and prose as they are, and surrogate pairs whole', () => {
    const m = 'the flag `--allow-net` grants every host; use `--allow-net=<hosts>`';
    expect(shortMessage(m)).toBe(m);
    const emoji = shortMessage(`\`${'😀'.repeat(100)}\``);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(emoji).toContain('…');
  });
});

describe('a 100 KB token in every fixture tree: messages stay short', () => {
  const dirs = readdirSync(FIXTURES).filter((d) => /^(core|deploy|launch|hosts|paths|audit|demo|signal)/.test(d) && statSync(join(FIXTURES, d)).isDirectory());

  it('every source kind', async () => {
    expect(dirs.length).toBeGreaterThan(40);
    const elidedIn = new Set<string>();
    for (const d of dirs) {
      const { findings } = await lint(memoryFs(files(join(FIXTURES, d))), { linkRepository: false });
      for (const f of findings) {
        const texts = [f.message, ...(f.related ?? []).map((r) => r.message), ...(f.details ?? []), ...(f.cause ? [f.cause.message] : [])];
        for (const t of texts) {
          expect(t.length, `${d} ${f.ruleId}`).toBeLessThanOrEqual(MAX_MESSAGE);
          expect(t, `${d} ${f.ruleId}`).not.toMatch(new RegExp(`x{${MAX_EXCERPT + 1}}`));
          if (/x…x/.test(t)) elidedIn.add(d);
        }
      }
    }
    // the long word reached messages (so the cut was needed) in most trees
    expect(elidedIn.size).toBeGreaterThan(dirs.length / 2);
  });
});
