/**
 * `--fix=all` in every carrier a grant can be written in: each file of fixtures/fix-carriers is
 * rewritten to the least privilege inferred from main.ts (Deno: reads ./config.json and HOME) or
 * server.mjs (Node: reads ./config.json), and nothing else in it changes — comments, quotes,
 * indentation, other keys. A second run changes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, copyFixture, removeFixtureCopies, scratchDir } from '../helpers.js';
import { lint } from '../../src/lint.js';
import { applyFixes, computeFixes } from '../../src/fix/index.js';

const copy = copyFixture;
afterEach(removeFixtureCopies);

/** One `permlint --fix` (or `--fix=all`) run, in-process: the files it changed. */
async function fix(dir: string, all: boolean): Promise<Map<string, string>> {
  const res = await lint(['.'], { cwd: dir });
  const texts = res.files;
  const { changed } = applyFixes(
    computeFixes(res.model, texts, true).filter((f) => all || f.safety === 'safe'),
    texts,
  );
  for (const [file, text] of changed) writeFileSync(join(dir, file), text);
  return changed;
}

const lines = (...l: string[]) => l.join('\n');

const EXPECTED: Record<string, string> = {
  'deno.jsonc': lines(
    '{',
    '  // least privilege for every carrier',
    '  "tasks": {',
    '    "wide": "deno run --allow-read=./config.json --allow-env=HOME main.ts", // no network is used',
    '    "set": "deno run -P=app main.ts",',
    '    "one": "deno run -P=one main.ts",',
    '    "obj": "deno run --permission-set=obj main.ts",',
    '    "test": "deno test -P=shared"',
    '  },',
    '  "permissions": {',
    '    // the set the "set" task loads',
    '    "app": {',
    '      "read": ["./config.json"],',
    '      "env": ["HOME"]',
    '    },',
    '    "one": { "read": ["./config.json"], "env": ["HOME"] },',
    '    "obj": {',
    '      "read": { "allow": ["./config.json"], "deny": ["./secret"] },',
    '      "env": ["HOME"]',
    '    },',
    '    // a test run loads it: left alone',
    '    "shared": { "read": true, "net": true }',
    '  }',
    '}',
    '',
  ),
  'package.json': lines(
    '{',
    '  "name": "fix-carriers",',
    '  "engines": { "node": "24.22.3" },',
    '  "scripts": {',
    '    "deno": "deno run --allow-read=./config.json --allow-env=HOME main.ts",',
    '    "wide": "deno run --allow-read=./config.json --allow-env=HOME main.ts",',
    '    "node": "node --permission --allow-fs-read=./config.json --allow-fs-read=./server.mjs server.mjs"',
    '  }',
    '}',
    '',
  ),
  'run.sh': lines('#!/bin/sh', '# keep this comment', 'set -e', 'deno run --allow-read=./config.json --allow-env=HOME main.ts "$@"   # trailing comment', ''),
  Dockerfile: lines(
    'FROM denoland/deno:2.9.6',
    'WORKDIR /app',
    'COPY . .',
    '# shell form',
    'RUN deno run --allow-read=./config.json --allow-env=HOME main.ts',
    '# exec form',
    'CMD ["deno", "run", "--allow-read=./config.json", "--allow-env=HOME", "main.ts"]',
    '',
  ),
  'Dockerfile.entry': lines('FROM denoland/deno:2.9.6', 'WORKDIR /app', 'COPY . .', 'ENTRYPOINT [ "deno", "run", "--allow-env=HOME", "--allow-read=./config.json", "main.ts" ]', ''),
  'Dockerfile.node': lines(
    'FROM node:24.22.3-slim',
    'WORKDIR /app',
    'COPY . .',
    '# every file readable and writable, child processes allowed',
    'CMD ["node", "--permission", "--allow-fs-read=./config.json", "--allow-fs-read=./server.mjs", "server.mjs"]',
    '',
  ),
  'Dockerfile.split': lines(
    'FROM denoland/deno:2.9.6',
    'WORKDIR /app',
    'COPY . .',
    '# a continued shell-form line',
    'RUN deno run \\',
    '      --allow-read=./config.json \\',
    '      --allow-env=HOME main.ts',
    '# flags in ENTRYPOINT, the script in CMD',
    'ENTRYPOINT ["deno", "run", "--allow-read=./config.json"]',
    'CMD ["--allow-env=HOME", "main.ts"]',
    '',
  ),
  'compose.yaml': lines(
    'services:',
    '  tool:',
    '    image: denoland/deno:2.9.6',
    '    working_dir: /app',
    '    # string form',
    '    command: deno run --allow-read=./config.json --allow-env=HOME main.ts',
    '  tool2:',
    '    image: denoland/deno:2.9.6',
    '    working_dir: /app',
    '    command:',
    '      - deno',
    '      - run',
    "      - '--allow-read=./config.json'   # quoted",
    '      - "--allow-env=HOME"',
    '      - main.ts',
    '  api:',
    '    image: node:24.22.3-slim',
    '    working_dir: /app',
    '    command:',
    '      - node',
    '      - --permission',
    '      - --allow-fs-read=./config.json',
    '      - --allow-fs-read=./server.mjs # everything',
    '      - server.mjs',
    '',
  ),
  'deployment.yaml': lines(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: tool',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: tool',
    '          image: denoland/deno:2.9.6',
    '          workingDir: /app',
    '          # flags as a list',
    '          command: ["deno", "run", "--allow-read=./config.json"]',
    '          args:',
    '            - --allow-env=HOME',
    '            - main.ts # the entrypoint',
    '',
  ),
  '.github/workflows/ci.yml': lines(
    'name: ci',
    'on: push',
    'jobs:',
    '  run:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      # block scalar',
    '      - run: |',
    '          deno run --allow-read=./config.json --allow-env=HOME main.ts',
    '          echo done',
    '      - run: deno run --allow-read=./config.json --allow-env=HOME main.ts',
    '      - name: inline',
    '        run: deno run --allow-read=./config.json --allow-env=HOME main.ts',
    '',
  ),
};

describe('--fix=all in every carrier', () => {
  it('leaves these grants alone under --fix (they are not mechanical mistakes)', async () => {
    const dir = copy('fix-carriers');
    expect([...(await fix(dir, false)).keys()]).toEqual([]);
  });

  it.each(Object.keys(EXPECTED))('rewrites %s to the least privilege, keeping comments and layout', async (file) => {
    const dir = copy('fix-carriers');
    const changed = await fix(dir, true);
    expect(changed.has(file)).toBe(true);
    expect(readFileSync(join(dir, file), 'utf8')).toBe(EXPECTED[file]);
  });

  it('is idempotent: a second --fix=all changes nothing, and no over- or under-grant is left', async () => {
    const dir = copy('fix-carriers');
    expect([...(await fix(dir, true)).keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect([...(await fix(dir, true)).keys()]).toEqual([]);
    const { findings } = await lint(['.'], { cwd: dir });
    expect(findings.filter((f) => f.ruleId === 'over-grant' || f.ruleId === 'under-grant').map((f) => `${f.ruleId} ${f.span.file}:${f.span.line}`)).toEqual([]);
  });

  it('leaves flags that come from a variable alone: their text serves other commands too', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'a.ts'), 'console.log(await Deno.readTextFile("./config.json"));\n');
    writeFileSync(join(dir, 'b.ts'), 'console.log(Deno.env.get("HOME"));\n');
    writeFileSync(join(dir, 'config.json'), '{}\n');
    writeFileSync(join(dir, 'Makefile'), 'FLAGS = --allow-read --allow-env\n\na:\n\tdeno run $(FLAGS) a.ts\n\nb:\n\tdeno run $(FLAGS) b.ts\n');
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nF="--allow-read --allow-env"\ndeno run $F a.ts\ndeno run $F b.ts\n');
    writeFileSync(join(dir, 'direct.sh'), '#!/bin/sh\ndeno run --allow-read --allow-env a.ts\n');
    expect([...(await fix(dir, true))]).toEqual([['direct.sh', '#!/bin/sh\ndeno run --allow-read=./config.json a.ts\n']]);
  });

  it('attaches each rewrite to the over- and under-grant findings it answers, a set’s to its loaders’ findings', async () => {
    const res = await lint(['.'], { cwd: resolve(FIXTURES, 'fix-carriers') });
    const texts = res.files;
    const { attachFixes } = await import('../../src/fix/index.js');
    const findings = attachFixes(res.findings, computeFixes(res.model, texts, true), texts);
    const one = findings.find((f) => f.ruleId === 'under-grant' && f.span.file === 'deno.jsonc' && f.span.line === 6)!;
    expect(one.fixes?.map((x) => x.description)).toEqual(['grant in the permission set `one` what the code its loaders run needs: `{ "read": ["./config.json"], "env": ["HOME"] }`']);
    expect(one.fixes?.[0]?.replacements).toEqual([
      { file: 'deno.jsonc', line: 17, column: 22, endLine: 17, endColumn: 26, text: '["./config.json"]' },
      { file: 'deno.jsonc', line: 17, column: 26, endLine: 17, endColumn: 41, text: '' },
      { file: 'deno.jsonc', line: 17, column: 41, endLine: 17, endColumn: 41, text: ', "env": ["HOME"]' },
    ]);
    const all = findings.find((f) => f.ruleId === 'allow-all' && f.span.file === 'package.json')!;
    expect(all.fixes).toEqual([
      {
        description: 'replace `--allow-all` with what the code reachable from `main.ts` needs: `--allow-read=./config.json --allow-env=HOME`',
        safety: 'unsafe',
        replacements: [{ file: 'package.json', line: 5, column: 23, endLine: 5, endColumn: 34, text: '--allow-read=./config.json --allow-env=HOME' }],
      },
    ]);
    const docker = findings.find((f) => f.ruleId === 'over-grant' && f.span.file === 'Dockerfile.node')!;
    expect(docker.fixes?.[0]?.description).toBe('grant what the code reachable from `server.mjs` needs: `--allow-fs-read=./config.json --allow-fs-read=./server.mjs`');
  });
});
