/**
 * Which files a run on a few paths (pre-commit) reads to link against: by name only, the
 * deployment, CI and launcher files of the whole tree and the manifests on the way to a named
 * path — never TypeScript, never files only a content sniff would recognise, never what
 * `.gitignore` prunes. Levels stay the full scan's.
 */
import { describe, expect, it } from 'vitest';
import { foldersOnTheWay, lint } from '../../src/lint.js';
import { memoryFs, type FileSystem } from '../../src/fs.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, brief, rng } from '../helpers.js';

/** memoryFs that records every file read and every folder listed. */
function traced(files: Record<string, string>) {
  const fs = memoryFs(files);
  const read: string[] = [];
  const listed: string[] = [];
  const traced: FileSystem = {
    ...fs,
    readFile: (p, max) => {
      read.push(p.replace(/^\//, ''));
      return fs.readFile(p, max);
    },
    readdir: (p) => {
      listed.push(p.replace(/^\//, '') || '.');
      return fs.readdir(p);
    },
  };
  return { fs: traced, read, listed };
}

const TREE = {
  '.gitignore': 'build/\n',
  'deno.json': '{\n  "lock": { "frozen": true },\n  "tasks": { "start": "deno run -A main.ts", "dev": "deno run -A main.ts" }\n}\n',
  Dockerfile: 'FROM denoland/deno:2.9.6\nUSER deno\nCMD ["deno", "task", "start"]\n',
  '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno task dev\n',
  'scripts/deploy.sh': 'deno task start\n',
  'main.ts': 'console.log(1);\n',
  'src/worker.ts': 'export const w = new Worker(new URL("./w.ts", import.meta.url), { type: "module" });\n',
  'bin/start': '#!/bin/sh\ndeno run -A main.ts\n',
  'README.md': 'deno run -A main.ts\n',
  'packages/a/deno.json': '{ "tasks": { "x": "deno run -A a.ts" } }\n',
  'packages/a/package.json': '{ "scripts": { "x": "node a.js" } }\n',
  'packages/b/deno.json': '{ "tasks": { "y": "deno run -A b.ts" } }\n',
  'packages/b/src/deep.ts': 'export {};\n',
  'build/Dockerfile': 'FROM node:20\nCMD ["node", "x.js"]\n',
  'k8s/app.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec: { containers: [{ name: a, image: denoland/deno, command: ["deno", "task", "start"] }] }\n',
};

describe('link-only inputs of a run on a few files', () => {
  it('reads the deployment, CI and launcher files by name, and only the manifests on the way to a named path', async () => {
    const t = traced(TREE);
    const r = await lint({ fs: t.fs, paths: ['packages/b/src/deep.ts'] });
    // nothing runs a TypeScript module by a name it could be called: only the configuration on the way is parsed
    expect([...r.linkOnly].sort()).toEqual(['deno.json', 'packages/b/deno.json']);
    // read: the named file, the candidates found by name and the .gitignore; nothing else is opened
    expect([...new Set(t.read)].sort()).toEqual(['.github/workflows/ci.yml', '.gitignore', 'Dockerfile', 'deno.json', 'k8s/app.yaml', 'packages/b/deno.json', 'packages/b/src/deep.ts', 'scripts/deploy.sh']);
    // a folder .gitignore prunes is not even listed
    expect(t.listed).not.toContain('build');
    expect(r.findings).toEqual([]);
  });

  it('a run on deno.json rates its tasks as the full scan does (the Dockerfile runs start: error; the workflow runs dev: a warning in CI)', async () => {
    const full = await lint(memoryFs(TREE));
    const t = traced(TREE);
    const one = await lint({ fs: t.fs, paths: ['deno.json'] });
    const mine = (fs: typeof full.findings) => brief(fs.filter((f) => f.span.file === 'deno.json'));
    expect(mine(one.findings)).toEqual(mine(full.findings));
    expect(brief(one.findings.filter((f) => f.ruleId === 'allow-all'))).toEqual(['allow-all deno.json:3:33 error', 'allow-all deno.json:3:63 warning']);
    expect(one.findings.every((f) => f.span.file === 'deno.json')).toBe(true);
    // every file that runs one of its tasks is parsed to link; the ones that run none are not
    expect([...one.linkOnly].sort()).toEqual(['.github/workflows/ci.yml', 'Dockerfile', 'k8s/app.yaml', 'scripts/deploy.sh']);
    // packages/a is not on the way to deno.json: its manifests are not read
    expect(t.read.filter((p) => p.startsWith('packages/'))).toEqual([]);
  });

  it('what a reader leaves out of a file read only to link is not reported as skipped (only the files of the run)', async () => {
    // the Jenkinsfile runs the task (so it is read to link) and has a PowerShell step its reader does not read
    const tree = { ...TREE, Jenkinsfile: "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      steps {\n        sh 'deno task dev'\n        pwsh 'Write-Host hi'\n      }\n    }\n  }\n}\n" };
    const full = await lint(memoryFs(tree));
    expect(full.skipped.map((s) => s.path)).toContain('Jenkinsfile');
    const one = await lint({ fs: memoryFs(tree), paths: ['deno.json'] });
    expect([...one.linkOnly]).toContain('Jenkinsfile');
    expect(one.skipped).toEqual([]);
    // named, its own unread step is reported
    const named = await lint({ fs: memoryFs(tree), paths: ['Jenkinsfile'] });
    expect(named.skipped.map((s) => s.path)).toEqual(['Jenkinsfile']);
  });

  it('a named folder takes the manifests inside and above it; a run on the root reads everything as usual', async () => {
    const t = traced(TREE);
    const r = await lint({ fs: t.fs, paths: ['packages/a'] });
    expect(r.files.has('packages/a/deno.json')).toBe(true);
    expect(r.files.has('packages/a/package.json')).toBe(true);
    expect([...r.linkOnly]).toContain('deno.json');
    expect([...r.linkOnly].some((p) => p.startsWith('packages/b/'))).toBe(false);
    const all = await lint(memoryFs(TREE));
    expect(all.linkOnly.size).toBe(0);
    expect(all.files.has('bin/start')).toBe(true); // the full scan sniffs a #! script without an extension
  });

  it('follows chains to what runs the named file: a workflow runs a task that runs a script (names written in pieces count)', async () => {
    const tree = {
      'deno.json': '{ "tasks": { "release": "./scripts/publish.sh", "fmt": "deno fmt" } }\n',
      'scripts/publish.sh': '#!/bin/sh\ndeno run -A publish.ts\n',
      '.github/workflows/release.yml': 'on: push\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno task "rel"ease\n',
      '.github/workflows/fmt.yml': 'on: push\njobs:\n  f:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno task fmt\n',
      'package.json': '{ "scripts": { "ship": "deno task rel\\u0065ase" } }\n',
      'Dockerfile': 'FROM denoland/deno:2.9.6\nCMD ["npm", "run", "ship"]\n',
      'Dockerfile.dev': 'FROM denoland/deno:2.9.6\nCMD ["deno", "run", "-A", "dev.ts"]\n',
    };
    const full = await lint(memoryFs(tree));
    const one = await lint({ fs: memoryFs(tree), paths: ['scripts/publish.sh'] });
    // publish.sh <- task release <- the release workflow, and <- script ship <- the Dockerfile (a deployment)
    expect([...one.linkOnly].sort()).toEqual(['.github/workflows/release.yml', 'Dockerfile', 'deno.json', 'package.json']);
    expect(brief(one.findings)).toEqual(brief(full.findings.filter((f) => f.span.file === 'scripts/publish.sh')));
    // run by a deployment (the Dockerfile): -A is an error, and the unfrozen lockfile is reported
    expect(brief(one.findings).sort()).toEqual(['allow-all scripts/publish.sh:2:10 error', 'unfrozen-lockfile scripts/publish.sh:2:1 warning']);
    // the Dockerfile alone needs nothing that runs it
    const docker = await lint({ fs: memoryFs(tree), paths: ['Dockerfile'] });
    expect([...docker.linkOnly].sort()).toEqual(['deno.json', 'package.json']);
  });

  it('keeps what the named files read or are read through: the Dockerfile a compose service builds, the GitLab CI file that includes a named YAML file', async () => {
    const tree = {
      'compose.yaml': 'services:\n  app:\n    build: .\n    command: ["deno", "run", "-A", "main.ts"]\n',
      Dockerfile: 'FROM denoland/deno:2.9.6\nUSER root\n',
      '.gitlab-ci.yml': 'include:\n  - local: ci/deploy.yml\n',
      'ci/deploy.yml': 'deploy:\n  script:\n    - deno run --allow-all tools/edge.ts\n',
    };
    const compose = await lint({ fs: memoryFs(tree), paths: ['compose.yaml'] });
    expect([...compose.linkOnly]).toContain('Dockerfile');
    const included = await lint({ fs: memoryFs(tree), paths: ['ci/deploy.yml'] });
    expect([...included.linkOnly]).toContain('.gitlab-ci.yml');
    const full = await lint(memoryFs(tree));
    for (const [r, file] of [[compose, 'compose.yaml'], [included, 'ci/deploy.yml']] as const) {
      expect(brief(r.findings), file).toEqual(brief(full.findings.filter((f) => f.span.file === file)));
      expect(r.findings.length, file).toBeGreaterThan(0);
    }
  });

  it('on every fixture, each file alone gets the same findings from the selected link inputs as from all of them', async () => {
    const key = (f: { ruleId: string; span: { file: string; line: number; column: number; endLine: number; endColumn: number }; level: string; message: string }) =>
      `${f.ruleId} ${f.span.file}:${f.span.line}:${f.span.column}-${f.span.endLine}:${f.span.endColumn} ${f.level} ${f.message}`;
    let files = 0;
    let dropped = 0;
    for (const d of readdirSync(join(ROOT, 'fixtures'), { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const cwd = join(ROOT, 'fixtures', d.name);
      const { discovered } = await lint(['.'], { cwd, rules: [] });
      if (discovered.length < 2) continue;
      for (const f of discovered) {
        const all = await lint([f.path], { cwd, linkRepository: 'all' });
        const some = await lint([f.path], { cwd });
        expect(some.findings.map(key), `${d.name}/${f.path}`).toEqual(all.findings.map(key));
        expect([...some.linkOnly].every((p) => all.linkOnly.has(p))).toBe(true);
        dropped += all.linkOnly.size - some.linkOnly.size;
        files++;
      }
    }
    expect(files).toBeGreaterThan(300);
    // the check can fail: the selection leaves files out
    expect(dropped).toBeGreaterThan(100);
  });
});

describe('the folders on the way to the named paths', () => {
  it('are the root, every folder above a named path and each named path, whatever the names share', () => {
    // the definition: every prefix of a path's parts
    const reference = (named: string[]) => {
      const out = new Set<string>(['']);
      for (const p of named) {
        const parts = p.split('/');
        for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('/'));
        out.add(p);
      }
      return [...out].sort();
    };
    const r = rng(11);
    const PARTS = ['a', 'b', 'src', 'deno.json', 'x.ts', '', 'é'];
    for (let n = 0; n < 500; n++) {
      const named = Array.from({ length: 1 + Math.floor(r() * 8) }, () => Array.from({ length: 1 + Math.floor(r() * 5) }, () => PARTS[Math.floor(r() * PARTS.length)]!).join('/'));
      expect([named, [...foldersOnTheWay(named)].sort()]).toEqual([named, reference(named)]);
    }
  });
});
