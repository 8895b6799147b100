/**
 * What bin/permlint.js takes from the CLI once the quick answers are ruled out: `main` and the
 * process-wide young-generation setting. The build bundles this module and everything it loads
 * into one script (dist/bundle/cli.cjs, scripts/bundle.mjs) that src/cli-loader.ts runs with a
 * V8 code cache; this module is the same entry as ES modules when the bundle is missing or older
 * than what it was built from. Everything bin/permlint.js uses in the main thread comes from one
 * of the two, never both: module state (the parser thread, the heap setting) exists once.
 */
export { main } from './cli.js';
export { tuneV8ForCli } from './heap.js';
/** The build (scripts/bundle.mjs): the parser thread's code cache, once the bundle has linted its fixtures (loaded when asked for). */
export async function threadCodeCache(): Promise<Uint8Array | undefined> {
  return (await import('./sources/typescript/parser.js')).threadCodeCache();
}
