/**
 * TypeScript / JavaScript source: NetScript task definitions, `@deno/sandbox` options, Deno
 * Worker permissions and runtimes spawned from code (`Deno.Command`, `node:child_process`).
 *
 * Cheap first: a substring sniff on the text decides whether a file can matter at all. Only
 * then is the analyser (and with it `@typescript-eslint/typescript-estree`) loaded, once, with a
 * dynamic import, so a tree with no candidate never loads the TypeScript parser.
 */
import type { ScanContext, Source, SourceFile } from '../types.js';
import type { ModuleTable } from './resolve.js';

/**
 * Substrings one of which every file we analyse contains: the API names, the package names (so a
 * local module that re-exports them is read), and the NetScript builder methods (so a file that
 * calls a renamed, re-exported `defineTask` is read).
 */
export const SNIFF_WORDS = [
  'defineTask',
  '@netscript/',
  '.permissions(',
  '.entrypoint(',
  'Sandbox',
  'new Worker',
  'Deno.Command',
  'child_process',
  'spawn',
  'execFile',
  'fork',
] as const;

/** True when the text may hold something this source reads. */
export function sniff(text: string): boolean {
  for (const w of SNIFF_WORDS) if (text.includes(w)) return true;
  return false;
}

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

export const typescriptSource: Source = {
  kind: 'typescript',
  context: 'development', // test files are `test`; NetScript tasks and sandboxes are `deployment` (the reader decides per construct)
  comments: 'slash',
  sniff: { names: (base) => TS_NAME.test(base), content: (_head, path) => TS_NAME.test(path) },
  async parse(file: SourceFile, ctx: ScanContext) {
    if (!sniff(file.text)) return;
    parseCount++;
    const { analyzeFile, newModuleTable } = await loadAnalyzer();
    let table = tables.get(ctx);
    if (!table) {
      table = newModuleTable();
      tables.set(ctx, table);
    }
    analyzeFile(file, ctx, table);
  },
};
