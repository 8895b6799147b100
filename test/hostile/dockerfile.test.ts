/**
 * Large Dockerfiles (issue 16): dockerfile-ast reads them a chunk at a time, cut at instruction
 * starts, and every list a later instruction looks through is bounded. The chunked reading is
 * held to the whole-file reading on every fixture Dockerfile and on texts made to trip the cuts
 * (here-documents, continuations with comment and blank lines, CRLF), with chunks as small as
 * the cutter allows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { problemMessage } from '../../src/messages/problems.js';
import { MAX_DOCKERFILE_LIST, dockerfileChunking, instructionCuts } from '../../src/sources/dockerfile.js';
import { FIXTURES } from '../helpers.js';

const CHUNK = dockerfileChunking.chars;
afterEach(() => {
  dockerfileChunking.chars = CHUNK;
});

/** What the Dockerfile source put in the model, and the findings, as comparable text. */
async function read(text: string, chars: number) {
  dockerfileChunking.chars = chars;
  const { findings, model } = await lint(memoryFs({ Dockerfile: text }));
  const at = (s: { line: number; column: number; endLine: number; endColumn: number }) => `${s.line}:${s.column}-${s.endLine}:${s.endColumn}`;
  return {
    findings: findings.map((f) => `${f.ruleId} ${at(f.span)} ${f.message}`),
    commands: model.commands.map((c) => `${c.origin.name} ${at(c.origin.span)} ${[c.program, ...c.args].map((t) => `${t.value}@${at(t.span)}`).join(' ')} ${c.context.cwd} ${c.context.container?.user?.value ?? ''}`),
    env: model.env.map((e) => `${e.name}=${e.value.value}@${at(e.value.span)}`),
    problems: model.problems.map((p) => `${at(p.span)} ${problemMessage(p)}`),
  };
}

function dockerfiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) dockerfiles(p, out);
    else if (/dockerfile|containerfile/i.test(name)) out.push(p);
  }
  return out;
}

const TRICKY: [string, string][] = [
  [
    'here-documents whose bodies hold instruction-like lines',
    'FROM node:20 AS base\nRUN <<EOF\nRUN deno run -A evil.ts\nFROM scratch\nEOF\nRUN <<-A <<B\n\tENV X=1\n\tA\nCMD deno run -A b.ts\nB\nRUN deno run --allow-net main.ts\nCMD ["deno", "run", "-A", "x.ts"]\n',
  ],
  [
    'continuations across comment and blank lines',
    'FROM node:20\nRUN deno run \\\n# a comment\n\n  --allow-read main.ts\nENV A=1 \\\n    B=2\nRUN echo $A \\   \nUSER node\nHEALTHCHECK CMD deno run -A hc.ts\nENTRYPOINT ["deno", "run"]\nCMD ["-A", "main.ts"]\n',
  ],
  ['CRLF line endings', 'FROM node:20\r\nRUN deno run \\\r\n  -A main.ts\r\nWORKDIR /app\r\nCOPY . .\r\nRUN deno task start\r\nCMD deno run -A x.ts\r\n'],
  ['an escape directive (never cut)', '# escape=`\nFROM node:20\nRUN deno run `\n  -A main.ts\nRUN echo a\nCMD deno run -A x.ts\n'],
  ['an unterminated here-document at the end', 'FROM node:20\nRUN echo a\nRUN <<EOF\ndeno run -A main.ts\nRUN x\n'],
];

describe('chunked reading of a Dockerfile gives what the whole-file reading gives', () => {
  it.each(TRICKY)('%s', async (_name, text) => {
    const whole = await read(text, Infinity);
    expect(whole.commands.length).toBeGreaterThan(0);
    expect(await read(text, 1)).toEqual(whole);
  });

  it('every fixture Dockerfile', async () => {
    const files = dockerfiles(FIXTURES);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const whole = await read(text, Infinity);
      expect(await read(text, 1), relative(FIXTURES, f)).toEqual(whole);
    }
  });

  it('cuts only at instruction lines outside continuations, at least `size` apart', () => {
    const text = 'FROM a\nRUN b \\\n  c\n# x\nRUN d \\\n\nRUN e\nrun f\n  RUN g\n';
    const cuts = instructionCuts(text, 1);
    expect(cuts.map((c) => (c < text.length ? text.slice(c, text.indexOf('\n', c)) : 'end'))).toEqual(['FROM a', 'RUN b \\', 'RUN d \\', 'run f', 'end']);
    expect(instructionCuts(text, 1000)).toEqual([0, text.length]);
    expect(instructionCuts(`# escape=\`\n${text}`, 1)).toEqual([0, text.length + 11]);
  });
});

describe('Dockerfile budgets', () => {
  const run = async (text: string) => (await read(text, CHUNK)).problems;

  it.each([
    ['ENV settings in one stage', (n: number) => `FROM a\n${Array.from({ length: n }, (_, i) => `ENV A${i}=x`).join('\n')}\n`, 1002],
    ['ENV settings in one stage', (n: number) => `FROM a\nENV ${Array.from({ length: n }, (_, i) => `A${i}=x`).join(' ')}\n`, 2],
    ['COPY and ADD sources in one stage', (n: number) => `FROM a\n${Array.from({ length: n }, (_, i) => `COPY f${i} /app/f${i}`).join('\n')}\n`, 1002],
    ['COPY and ADD sources in one stage', (n: number) => `FROM a\nCOPY ${Array.from({ length: n }, (_, i) => `f${i}`).join(' ')} /app/\n`, 2],
    ['stages', (n: number) => Array.from({ length: n }, (_, i) => `FROM s${i} AS s${i + 1}`).join('\n') + '\n', 1001],
  ])('more than 1,000 %s: one parse-error where reading stops (line %#)', async (what, make, line) => {
    expect(await run(make(MAX_DOCKERFILE_LIST + 1))).toEqual([expect.stringMatching(new RegExp(`^${line}:1-${line}:\\d+ more than 1,000 ${what} \\(a Dockerfile budget\\); the rest of the file is not read$`))]);
    expect(await run(make(MAX_DOCKERFILE_LIST))).toEqual([]);
  });

  it('a stage built FROM a named one finds it by name and takes its ENV-set variables', async () => {
    const text = 'FROM node:20 AS base\nARG V=1\nENV P=/srv\nFROM base\nRUN deno run --allow-read=$P main.ts\nFROM base AS other\nRUN deno run --allow-read=$V main.ts\n';
    const { commands } = await read(text, CHUNK);
    expect(commands.map((c) => c.split(' ').slice(0, 6).join(' '))).toEqual(['RUN #1 5:1-5:37 deno@5:5-5:9 run@5:10-5:13 --allow-read=/srv@5:14-5:29', 'RUN #2 7:1-7:37 deno@7:5-7:9 run@7:10-7:13 --allow-read=$V@7:14-7:29']);
  });
});
