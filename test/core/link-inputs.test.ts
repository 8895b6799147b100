/**
 * Which files a run on a few paths (pre-commit) reads to link against: by name only, the
 * deployment, CI and launcher files of the whole tree and the manifests on the way to a named
 * path — never TypeScript, never files only a content sniff would recognise, never what
 * `.gitignore` prunes. Levels stay the full scan's.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs, type FileSystem } from '../../src/fs.js';
import { brief } from '../helpers.js';

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
    expect([...r.linkOnly].sort()).toEqual(['.github/workflows/ci.yml', 'Dockerfile', 'deno.json', 'k8s/app.yaml', 'packages/b/deno.json', 'scripts/deploy.sh']);
    // read: the named file, those link-only inputs and the .gitignore; nothing else is opened
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
    // packages/a is not on the way to deno.json: its manifests are not read
    expect(t.read.filter((p) => p.startsWith('packages/'))).toEqual([]);
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
});
