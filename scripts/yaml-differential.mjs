#!/usr/bin/env node
/**
 * YAML differential: every YAML source of two builds on every YAML file of a set of trees, the
 * models compared. Each file goes through every source that reads YAML (whatever its name), so
 * a change to yaml-util.ts or a YAML source is held to the old build on all of them.
 *
 *   node scripts/yaml-differential.mjs --old <old dist> [--new <new dist>] [dir …]
 *
 * `dist` is the output of `npm run build` (the folder holding `src/`); the new one defaults to
 * this checkout's. The trees default to fixtures/ and .cache/corpus/*. Prints each file whose
 * model differs (with the first difference) and exits 1 when any does.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const oldDist = opt('--old');
const newDist = opt('--new') ?? resolve(import.meta.dirname, '../dist');
if (!oldDist) {
  console.error('usage: yaml-differential.mjs --old <old dist> [--new <new dist>] [dir …]');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
const dirs = args.length
  ? args
  : [join(root, 'fixtures'), ...readdirSync(join(root, '.cache/corpus')).map((d) => join(root, '.cache/corpus', d))];

const MAX_BYTES = 4 * 1024 * 1024;
function yamlFiles(dir, out = [], depth = 0) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === '.git' || depth > 40) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out, depth + 1);
    else if (/\.ya?ml$/i.test(e.name) && e.isFile() && statSync(p).size <= MAX_BYTES) out.push(p);
  }
  return out;
}

const MODULES = {
  'app-engine': ['appEngineSource'],
  'azure-pipelines': ['azurePipelinesSource'],
  bitbucket: ['bitbucketSource'],
  circleci: ['circleciSource'],
  compose: ['composeSource'],
  drone: ['droneSource'],
  'github-actions': ['githubActionsSource'],
  'gitlab-ci': ['gitlabCiSource'],
  helm: ['helmSource'],
  kubernetes: ['kubernetesSource'],
  platforms: ['renderSource'],
  serverless: ['serverlessSource'],
  taskfile: ['taskfileSource'],
};

async function load(dist) {
  const abs = resolve(dist);
  const text = await import(pathToFileURL(join(abs, 'src/text.js')).href);
  const model = await import(pathToFileURL(join(abs, 'src/model.js')).href);
  const sources = [];
  for (const [mod, names] of Object.entries(MODULES)) {
    const m = await import(pathToFileURL(join(abs, `src/sources/${mod}.js`)).href);
    for (const n of names) sources.push([n, m[n]]);
  }
  return { LineIndex: text.LineIndex, emptyModel: model.emptyModel, sources };
}

/** No deno.json sets: `-P name` stays unresolved in both builds. */
const resolverStub = () => undefined;
async function run(build, path, text, files) {
  const out = {};
  for (const [name, source] of build.sources) {
    const model = build.emptyModel();
    const ids = new Map();
    const ctx = {
      model,
      resolverFor: () => resolverStub,
      contextFor: (_f, natural) => natural,
      nextId: (file, what) => {
        const k = `${file}#${what}`;
        const n = (ids.get(k) ?? 0) + 1;
        ids.set(k, n);
        return `${k}:${n}`;
      },
      file: (p) => (files.has(p) ? { path: p, text: files.get(p), index: new build.LineIndex(p, files.get(p)) } : undefined),
      paths: () => files.keys(),
    };
    const file = { path, text, index: new build.LineIndex(path, text) };
    try {
      await source.parse(file, ctx);
      out[name] = model;
    } catch (e) {
      out[name] = { threw: String(e?.stack ?? e).split('\n')[0] };
    }
  }
  return JSON.stringify(out, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v instanceof Map ? [...v] : v instanceof Set ? [...v] : v));
}

const oldBuild = await load(oldDist);
const newBuild = await load(newDist);
let files = 0;
let bytes = 0;
let differ = 0;
for (const dir of dirs) {
  const list = yamlFiles(dir);
  // the files of the tree, repo-relative, for GitLab includes
  const texts = new Map(list.map((p) => [relative(dir, p).split('\\').join('/'), readFileSync(p, 'utf8')]));
  for (const [rel, text] of texts) {
    files++;
    bytes += text.length;
    const a = await run(oldBuild, rel, text, texts);
    const b = await run(newBuild, rel, text, texts);
    if (a !== b) {
      differ++;
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      console.log(`DIFF ${join(dir, rel)} at ${i}:\n  old …${a.slice(Math.max(0, i - 80), i + 120)}\n  new …${b.slice(Math.max(0, i - 80), i + 120)}`);
    }
  }
}
console.log(`${files} YAML files (${bytes} characters) in ${dirs.length} trees, ${Object.keys(MODULES).length} source modules: ${differ} differ`);
process.exit(differ ? 1 : 0);
