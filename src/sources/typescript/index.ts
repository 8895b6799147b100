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

/** The API packages, as written in an import specifier (`'npm:@deno/sandbox@1'`, `"node:child_process"`). */
const API_SPECIFIER = /['"`](?:jsr:|npm:)?\/?(?:@netscript\/plugin-workers-core|@deno\/sandbox|(?:node:)?child_process|@david\/dax|dax-sh|https:\/\/deno\.land\/x\/dax)(?:['"`@/])/;
/**
 * Calls that name what they do: the globals the analyser reads (`new Worker(…)`,
 * `new Deno.Command(…)`, also `Deno["Command"]`), `defineTask(…)` and `Sandbox.create(…)`.
 */
const NAMED_CALL = /\bDeno\s*\.\s*run\s*\(|\bnew\s+(?:Worker|Deno\s*(?:\.\s*Command|\[\s*['"`]Command['"`]\s*\]))\s*[(<]|\bdefineTask\s*\(|\bSandbox\s*\.\s*create\s*\(/;
/** A relative module specifier after `from`, `import(`, `require(` (imports and re-exports of local modules). */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport\s*\(|\brequire\s*\()\s*['"`]\.\.?\//;
/** Re-exports of a local module: a barrel between a consumer and the module that names the API. */
const RELATIVE_REEXPORT = /\bexport\s*(?:type\s+)?(?:\*|\{[^}]*\})(?:\s*as\s+[\w$]+)?\s*from\s*['"`]\.\.?\//;
/**
 * Calls an API export can make once imported from a local module under another name: a NetScript
 * builder method, a child_process function, the `TaskConfig` type.
 */
const API_USE = /\.\s*(?:permissions|entrypoint)\s*\(|\b(?:spawn|spawnSync|execFile|execFileSync|fork|execSync)\s*\(|\bTaskConfig\b/;

/** True when the text may hold something this source reads. */
export function sniff(text: string): boolean {
  if (API_SPECIFIER.test(text) || NAMED_CALL.test(text)) return true;
  if (!RELATIVE_IMPORT.test(text)) return false;
  return API_USE.test(text) || RELATIVE_REEXPORT.test(text);
}

/** Whether a path can hold code at all (declaration files hold only types). */
export function holdsCode(path: string): boolean {
  return !/\.d\.[cm]?ts$/.test(path);
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
    if (!holdsCode(file.path) || !sniff(file.text)) return;
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
