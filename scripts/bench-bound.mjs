/**
 * Lower bounds for the targets of `npm run bench` (`--bounds`): programs that do only a part of
 * what any permlint run must do, so that a ratio no implementation can beat is measured on the
 * same machine in the same run as the target's own baseline.
 *
 *   parse <list.json>   list the tree as the floor does, read the files permlint reads (the list:
 *                       what its discovery returns for the tree, made by the bench beforehand) and
 *                       run only the parsers the design names on the files permlint parses:
 *                       oxc-parser's native parse (raw transfer, no JavaScript tree built) of the
 *                       TypeScript candidates and yaml's documents of the YAML files in a second
 *                       thread, jsonc-parser on the JSON files in the main one. Nothing is read
 *                       of what they return: no tree, model, link, rule or report.
 *   list                list every folder of the tree (no file read): what a pre-commit run's
 *                       link-only walk must do without a cache, at least.
 *   stat <folders.json> one lstat per folder, the folders given: what `--cache`'s validation of
 *                       its folder listings must do, at least.
 *
 * Run by scripts/bench.mjs in a child (which reports its CPU and peak RSS); never on a scanned
 * tree outside the bench's own corpora, and it never runs what it reads.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
// (scripts/bench.mjs imports `walk`; run as a script, the mode is the first argument: ES modules
// are loaded from their real paths, so the script's path is compared as one)
const isMain = (() => {
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();
const [mode, arg] = isMain ? process.argv.slice(2) : [];

/**
 * The walk of the floor (scripts/bench.mjs): every folder under `root` but .git and node_modules,
 * in readdir order; `onFolder` with each folder's path relative to `root` ('.' for the root),
 * `onFile` with each file's path and its relative one.
 */
export function walk(root, onFile, onFolder) {
  const go = (dir, rel) => {
    onFolder?.(rel || '.');
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) go(join(dir, e.name), r);
      else if (onFile && e.isFile()) onFile(join(dir, e.name), r);
    }
  };
  go(root, '');
}

// the second thread: oxc's native parse into its transfer buffer (as src/sources/typescript/raw.ts
// sets it up on Node 20) and yaml's composer; each message a file, null at the end
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const req = createRequire(workerData.from);
Promise.all([import(req.resolve('oxc-parser/src-js/bindings')), import(req.resolve('oxc-parser/src-js/generated/constants'))]).then(([b, c]) => {
  const yaml = req('yaml');
  const ab = new SharedArrayBuffer(c.BLOCK_SIZE + c.BLOCK_ALIGN);
  const offset = b.getBufferOffset(new Uint8Array(ab, 0, 1));
  const block = new Uint8Array(ab, offset, c.BLOCK_SIZE);
  const encoder = new TextEncoder();
  const n = { ts: 0, yaml: 0, documents: 0 };
  parentPort.on('message', (m) => {
    if (m === null) return parentPort.postMessage(n);
    if (m.yaml) {
      n.yaml++;
      n.documents += yaml.parseAllDocuments(m.text).length;
      return;
    }
    const room = m.text.length * 3;
    const start = c.ACTIVE_SIZE - room;
    const { written } = encoder.encodeInto(m.text, new Uint8Array(ab, offset + start, room));
    b.parseRawSync(m.path, block, start, written, { lang: m.lang, sourceType: 'module', astType: 'ts', range: false, preserveParens: false });
    n.ts++;
  });
  parentPort.postMessage('ready');
});
`;

if (mode === 'parse') {
  /** @type {{ read: string[], ts: string[], yaml: string[], json: string[] }} */
  const list = JSON.parse(readFileSync(arg, 'utf8'));
  const read = new Set(list.read);
  const ts = new Set(list.ts);
  const yml = new Set(list.yaml);
  const json = new Set(list.json);
  const jsonc = require('jsonc-parser');
  // (started only when something is to be parsed in it, as permlint starts its own)
  let thread;
  const post = (m) => (thread ??= new Worker(THREAD, { eval: true, workerData: { from: import.meta.url } })).postMessage(m);
  let files = 0;
  let jsonFiles = 0;
  walk('.', (abs, rel) => {
    if (!read.has(rel)) return;
    const bytes = readFileSync(abs);
    files++;
    if (ts.has(rel)) post({ path: rel, lang: /x$/.test(rel) ? 'tsx' : /\.[cm]?js$/.test(rel) ? 'js' : 'ts', text: bytes.toString('utf8') });
    else if (yml.has(rel)) post({ yaml: true, text: bytes.toString('utf8') });
    else if (json.has(rel)) {
      jsonc.parseTree(bytes.toString('utf8'));
      jsonFiles++;
    }
  });
  // (what was done, for the test: the bench does not read it)
  const done = (m) => console.log(`read ${files}, parsed ${m.ts} TypeScript, ${m.yaml} YAML (${m.documents} documents), ${jsonFiles} JSON`);
  if (!thread) done({ ts: 0, yaml: 0, documents: 0 });
  else {
    thread.postMessage(null);
    thread.on('message', (m) => {
      if (m === 'ready') return;
      done(m);
      void thread.terminate();
    });
  }
} else if (mode === 'list') {
  walk('.');
} else if (mode === 'stat') {
  for (const dir of JSON.parse(readFileSync(arg, 'utf8'))) lstatSync(dir, { throwIfNoEntry: false });
} else if (isMain) {
  console.error('usage: node scripts/bench-bound.mjs parse <list.json> | list | stat <folders.json>');
  process.exit(2);
}
