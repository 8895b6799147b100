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
 * Times are compared, not kept: npm's tarballs give every file the same date, which passes.
 * `PERMLINT_BUNDLE=0` uses the ES modules whatever the stamp says (the module-graph tests).
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export type CliEntry = typeof import('./cli-entry.js');

/** What the build records next to the bundle. Paths relative to the dist folder. */
export interface BundleStamp {
  bundle: { path: string; size: number };
  cache?: { path: string; size: number } | undefined;
  inputs: [path: string, size: number][];
}

export const STAMP_NAME = 'bundle/stamp.json';

/** The script and (when trusted) its code cache, or undefined when the ES modules must be used. */
export function trustedBundle(dist: string): { file: string; cache?: Buffer | undefined } | undefined {
  let stamp: BundleStamp;
  try {
    stamp = JSON.parse(readFileSync(join(dist, STAMP_NAME), 'utf8')) as BundleStamp;
  } catch {
    return undefined;
  }
  try {
    const file = join(dist, stamp.bundle.path);
    const b = statSync(file);
    if (b.size !== stamp.bundle.size || !stamp.inputs.length) return undefined;
    for (const [path, size] of stamp.inputs) {
      const s = statSync(join(dist, path));
      if (s.size !== size || s.mtimeMs > b.mtimeMs) return undefined;
    }
    let cache: Buffer | undefined;
    if (stamp.cache) {
      const cacheFile = join(dist, stamp.cache.path);
      try {
        const c = statSync(cacheFile);
        if (c.size === stamp.cache.size && c.mtimeMs >= b.mtimeMs) cache = readFileSync(cacheFile);
      } catch {
        /* no cache: compiled as it runs */
      }
    }
    return { file, cache };
  } catch {
    return undefined;
  }
}

/**
 * The CommonJS wrapper the bundle runs in: its `require` resolves from its own folder, and its
 * `import()` of a package or of the language server (rewritten to `__permlintImport` by the
 * build) is this module's, so Node's loader resolves it as it did from dist/src/. (A script
 * compiled from a code cache has no dynamic-import callback in Node 20, and
 * `vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER` prints an experimental warning.)
 */
export function bundleScript(file: string, cache?: Buffer): vm.Script {
  const source = `(function (exports, require, module, __filename, __dirname, __permlintImport) {${readFileSync(file, 'utf8')}\n})`;
  return new vm.Script(source, { filename: file, ...(cache ? { cachedData: cache } : {}) });
}

/** Runs the bundle's script: its exports. */
export function runBundle(script: vm.Script, file: string): CliEntry {
  const module = { exports: {} as CliEntry };
  const run = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string, i: (specifier: string) => Promise<unknown>) => void;
  run(module.exports, createRequire(file), module, file, dirname(file), (specifier) => import(specifier));
  return module.exports;
}

/** The CLI: the bundle when it is trusted, else the ES modules. */
export async function loadCli(): Promise<CliEntry> {
  const dist = fileURLToPath(new URL('..', import.meta.url));
  const bundle = process.env.PERMLINT_BUNDLE === '0' || !import.meta.url.endsWith('.js') ? undefined : trustedBundle(dist);
  if (!bundle) return import('./cli-entry.js');
  return runBundle(bundleScript(bundle.file, bundle.cache), bundle.file);
}
