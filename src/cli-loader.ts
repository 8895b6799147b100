/**
 * Loads the CLI for bin/permlint.js: the single-file bundle of src/cli-entry.ts and everything it
 * loads (dist/bundle/cli.cjs, written by scripts/bundle.mjs after `tsc`), compiled through
 * `vm.Script` with the V8 code cache the build made for it, or, when the bundle cannot be trusted
 * to be what the compiled modules say, the ES modules themselves (./cli-entry.js).
 *
 * Why: a lint run loads ~130 of the package's ES modules before it reads a file. Node resolves,
 * reads, compiles, links and evaluates each on its own; one script whose functions come compiled
 * out of a code cache halves that phase (docs/performance.md, "This session (sixth): start-up
 * and pre-commit"). Node 20 has no `module.enableCompileCache`.
 *
 * Trust, checked at each start (a read of stamp.json and one `stat` per bundled module):
 * - the bundle is used only when every module it was built from still has the size it had then
 *   and is not newer than the bundle (so `tsc -b` without the bundle step, or an edited file in
 *   dist/, falls back to the ES modules), and the bundle itself has the size the build gave it;
 * - the code cache only when it has its recorded size and is not older than the bundle: V8 checks
 *   a cache against the source's length (and its own version and flags) only, so a cache is never
 *   offered to another text. A cache V8 rejects (another Node) only costs the compile.
 * Times are compared, not kept, and only in a working tree: npm gives each file it installs the
 * time it wrote it, in no order, so an installed copy (the package in a `node_modules` folder)
 * compares sizes only (./bundle-stamp.ts `installedCopy`).
 * `PERMLINT_BUNDLE=0` uses the ES modules whatever the stamp says (the module-graph tests);
 * `PERMLINT_CODE_CACHE=0` runs the bundles without their code caches (`npm run bench -- --only
 * hostile` compares the two: V8's optimised code has differed between them, docs/performance.md).
 */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export type CliEntry = typeof import('./cli-entry.js');

export { BUNDLE_WRAPPER, CODE_CACHE_CHANNEL, ENTRY_STAMP_NAME, PARSER_THREAD_CHANNEL, QUICK_STAMP_NAME, STAMP_NAME, THREAD_STAMP_NAME, trustedBundle, trustedBundleFiles, type BundleStamp } from './bundle-stamp.js';
import { readBundle, reportCodeCache, trustedBundleFiles, withCodeCache } from './bundle-stamp.js';
// (static: loaded with this module, in one round of Node's loader; Node's built-ins only, the
// parser module and the sniff are imported when a thread starts)
import { lintRunPaths } from './cli-options.js';
import { CODE_FILE, readNamed, warmParserThreadFor, warmParserThreadForFolders } from './parser-warmup.js';

/**
 * The CommonJS wrapper the bundle runs in: its `require` resolves from its own folder, and its
 * `import()` of a package or of the language server (rewritten to `__permlintImport` by the
 * build) is this module's, so Node's loader resolves it as it did from dist/src/. (A script
 * compiled from a code cache has no dynamic-import callback in Node 20, and
 * `vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER` prints an experimental warning.)
 */
export function bundleScript(file: string, cacheFile?: string): vm.Script {
  // (the wrapped text as one flat string, and the cache in the buffer the text was read into: ./bundle-stamp.ts readBundle)
  const { source, cache } = readBundle(file, cacheFile);
  return new vm.Script(source, { filename: file, ...(cache ? { cachedData: cache } : {}) });
}

/** Runs the bundle's script: its exports. */
export function runBundle(script: vm.Script, file: string): CliEntry {
  const module = { exports: {} as CliEntry };
  const run = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string, i: (specifier: string) => Promise<unknown>) => void;
  run(module.exports, createRequire(file), module, file, dirname(file), (specifier) => import(specifier));
  return module.exports;
}

/**
 * The CLI: the bundle when it is trusted, else the ES modules. `argv` (bin/permlint.js): a lint
 * run that will use the parser thread (named files: a TypeScript/JavaScript file the sniff keeps;
 * folders: code by name among their first folders) starts it first, so that its start — Node's
 * worker bootstrap, oxc's binding, its own bundle — overlaps compiling and starting the CLI
 * (./parser-warmup.ts); the CLI adopts it.
 */
export async function loadCli(argv?: readonly string[], cwd = process.cwd()): Promise<CliEntry> {
  const dist = fileURLToPath(new URL('..', import.meta.url));
  if (argv) await startEarly(argv, cwd);
  const bundle = process.env.PERMLINT_BUNDLE === '0' || !import.meta.url.endsWith('.js') ? undefined : trustedBundleFiles(dist);
  if (!bundle) return import('./cli-entry.js');
  const script = bundleScript(bundle.file, withCodeCache(bundle.cacheFile));
  if (script.cachedDataRejected !== undefined) reportCodeCache('cli', script.cachedDataRejected);
  return runBundle(script, bundle.file);
}

/**
 * The parser thread's start before the CLI is compiled, when the run will very likely use it: a
 * lint run on named files that look like code (read and sniffed as discovery will), or on folders
 * that hold code by name (./parser-warmup.ts `codeNamedBelow`). A guess only: the CLI starts the
 * thread when it needs it, and adopts this one.
 */
async function startEarly(argv: readonly string[], cwd: string): Promise<void> {
  const paths = lintRunPaths(argv);
  if (!paths) return;
  try {
    if (paths.some((p) => CODE_FILE.test(p))) await warmParserThreadFor(paths, (p) => readNamed(resolve(cwd, p), 2 * 1024 * 1024), true);
    else await warmParserThreadForFolders(paths.map((p) => resolve(cwd, p)));
  } catch {
    // (a guess only: the CLI starts the thread when it needs it)
  }
}
