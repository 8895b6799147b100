/**
 * TypeScript / JavaScript source: NetScript task definitions, `@deno/sandbox` options, Deno
 * Worker permissions and runtimes spawned from code (`Deno.Command`, `node:child_process`).
 *
 * Cheap first: a sniff on the text decides whether a file can matter at all. It looks for the
 * shapes the analyser reads, not for words: an import specifier of one of the APIs, a
 * `new Worker(` / `new Deno.Command(` call, or a relative import (or re-export) together with a
 * call that an imported, possibly renamed, API export can make. Only then is the analyser (and
 * with it oxc-parser, in its own thread) loaded, once, with a dynamic import, so a tree with no
 * candidate never loads the parser. Declaration files (`.d.ts`) hold no code and are never read.
 */
import type { ScanContext, Source, SourceFile } from '../types.js';
import type { ModuleTable } from './resolve.js';

export { parserThreadStarted } from './parser.js';
import { prefetchTypescript } from './parser.js';

export { holdsCode, sniff } from './sniff.js';
import { holdsCode, sniff } from './sniff.js';

let parseCount = 0;
let loaded = false;

/** How many files the TypeScript parser has been run on (for tests and the benchmark). */
export function typescriptParseCount(): number {
  return parseCount;
}

/** Whether the analyser, and with it the TypeScript parser, has been loaded in this process. */
export function parserLoaded(): boolean {
  return loaded;
}

/** Resets the parse counter (tests). The loaded flag stays: a module cannot be unloaded. */
export function resetTypescriptParseCount(): void {
  parseCount = 0;
}

type Analyzer = typeof import('./analyze.js');
let analyzer: Promise<Analyzer> | undefined;

function loadAnalyzer(): Promise<Analyzer> {
  analyzer ??= import('./analyze.js').then((m) => {
    loaded = true;
    return m;
  });
  return analyzer;
}

/** Exports of the modules analysed in one scan, for imports of local modules that re-export the APIs. */
const tables = new WeakMap<ScanContext, ModuleTable>();

const TS_NAME = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;

/** How many candidates the parser thread may be given ahead of the one being analysed. */
const PARSE_AHEAD = 4;

/**
 * The candidates of the current scan, in scan order (prepare), and each one's place: parse()
 * keeps the parser thread PARSE_AHEAD files ahead of the analysis, so the two threads work at
 * the same time, while few syntax trees wait in memory.
 */
let upcoming: { path: string; text: string }[] = [];
let place = new Map<string, number>();
/** Files prepare() found not to be candidates (path → the text it looked at). */
let ruledOut = new Map<string, string>();

function candidate(path: string, text: string): boolean {
  return holdsCode(path) && sniff(text);
}

function parseAhead(from: number): void {
  for (let i = from; i < Math.min(upcoming.length, from + PARSE_AHEAD); i++) prefetchTypescript(upcoming[i]!.path, upcoming[i]!.text);
}

export const typescriptSource: Source = {
  kind: 'typescript',
  context: 'development', // test files are `test`; NetScript tasks and sandboxes are `deployment` (the reader decides per construct)
  comments: 'slash',
  sniff: { names: (base) => TS_NAME.test(base), content: (_head, path) => TS_NAME.test(path) },
  prepare(files) {
    upcoming = [];
    ruledOut = new Map();
    for (const f of files) {
      if (f.text === undefined || f.text.includes('\0')) continue; // the scan reads it, or skips it as binary
      if (candidate(f.path, f.text)) upcoming.push({ path: f.path, text: f.text });
      else ruledOut.set(f.path, f.text);
    }
    place = new Map(upcoming.map((f, i) => [f.path, i]));
    parseAhead(0);
  },
  async parse(file: SourceFile, ctx: ScanContext) {
    if (ruledOut.get(file.path) === file.text) return;
    const at = place.get(file.path);
    const known = at !== undefined && upcoming[at]!.text === file.text;
    if (!known && !candidate(file.path, file.text)) return;
    if (known) parseAhead(at + 1);
    parseCount++;
    const { analyzeFile, newModuleTable } = await loadAnalyzer();
    let table = tables.get(ctx);
    if (!table) {
      table = newModuleTable();
      tables.set(ctx, table);
    }
    await analyzeFile(file, ctx, table);
  },
};
