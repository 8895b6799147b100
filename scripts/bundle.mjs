#!/usr/bin/env node
/**
 * The build's second step (`npm run build`, after `tsc -b`): bundles dist/src/cli-entry.js and
 * every module it loads in the main thread into one CommonJS script, dist/bundle/cli.cjs, with a
 * V8 code cache (dist/bundle/cli.cache) and the stamp src/cli-loader.ts checks before it trusts
 * either (dist/bundle/stamp.json: the size of every dist/ module bundled). bin/permlint.js runs
 * the bundle when the stamp holds, the ES modules otherwise.
 *
 * - rolldown (a devDependency) bundles; `import()` targets stay lazily evaluated (rolldown wraps
 *   each in an init function), `import.meta.url` becomes each module's own dist/ location (so
 *   package files, the parser thread's modules and createRequire resolve as before), jsonc-parser
 *   comes from its ES build, chalk is bundled (ESM only), and so are yaml and dockerfile-ast
 *   (required on first use; ~110 CommonJS files that cost a run reading a workflow or a
 *   Dockerfile as much CPU as the whole CLI from the cache). semver (by function), oxc-parser,
 *   mvdan-sh, the TOML reader and the language server (src/lsp/server.js, with
 *   vscode-languageserver) stay outside, loaded by Node when used.
 * - The code cache is made after the bundle has linted a few fixtures in this process, so that
 *   it holds the functions a lint run compiles, not only the top level.
 * - Skipped when the stamp already holds for the current dist/ and this script is unchanged.
 *
 * Usage: node scripts/bundle.mjs [--force]
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'bundle');
const FILE = join(OUT, 'cli.cjs');
const CACHE = join(OUT, 'cli.cache');
const STAMP = join(DIST, 'bundle/stamp.json');
const SELF = statSync(fileURLToPath(import.meta.url)).size;
const posix = (p) => p.split(sep).join('/');

const loader = await import(pathToFileURL(join(DIST, 'src/cli-loader.js')).href);
if (!process.argv.includes('--force') && loader.trustedBundle(DIST)?.cache) {
  try {
    if (JSON.parse(readFileSync(STAMP, 'utf8')).builder === SELF) process.exit(0);
  } catch {
    /* rebuild */
  }
}

const { rolldown } = await import('rolldown');
// the stamp goes first: a bundle without its stamp is never trusted
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const build = await rolldown({
  input: join(DIST, 'src/cli-entry.js'),
  platform: 'node',
  logLevel: 'warn',
  resolve: { mainFields: ['module', 'main'] },
  external: [/^node:/, 'toml-eslint-parser', /^semver($|\/)/, 'oxc-parser', /^oxc-parser\//, 'mvdan-sh', /^vscode-languageserver($|\/)/],
  plugins: [
    {
      name: 'permlint-module-url',
      transform(code, id) {
        if (!id.endsWith('.js') || !id.startsWith(DIST + sep)) return null;
        let out = code;
        // the parsers src/sources/ requires on first use (yaml, dockerfile-ast with the language
        // server's types): bundled too, evaluated on first use, compiled out of the cache
        out = out.replace(/\bcreateRequire\(import\.meta\.url\)\((['"])(yaml|dockerfile-ast)\1\)/g, 'require($1$2$1)');
        // (not inside a string: src/infer/values.ts compares against the text 'import.meta.url')
        out = out.replace(/(?<!["'`])import\.meta\.url/g, `__permlintModuleUrl(${JSON.stringify(posix(relative(OUT, id)))})`);
        // import() of the packages loaded that way (the TOML reader), or of the language server (an ES module of dist/, with
        // vscode-languageserver): Node's loader, through the function the loader passes in (a
        // vm.Script from a code cache cannot import() by itself in Node 20)
        out = out.replace(/(?<!["'`.\w])import\((['"])(toml-eslint-parser)\1\)/g, '__permlintImport($1$2$1)');
        if (id === join(DIST, 'src/cli.js')) out = out.replace(/(?<!["'`.\w])import\((['"])\.\/lsp\/server\.js\1\)/g, '__permlintImport(__permlintModuleUrl("../src/lsp/server.js"))');
        return out === code ? null : { code: out };
      },
    },
  ],
});
const { output } = await build.write({
  file: FILE,
  format: 'cjs',
  codeSplitting: false,
  banner: 'const __permlintModuleUrl = (rel) => require("node:url").pathToFileURL(require("node:path").join(__dirname, rel)).href;',
});
await build.close();
const chunk = output.find((o) => o.type === 'chunk');
const inputs = chunk.moduleIds.filter((id) => id.startsWith(DIST + sep)).map((id) => posix(relative(DIST, id)));
if (!inputs.includes('src/cli.js') || inputs.includes('src/lsp/server.js')) throw new Error('bundle: src/cli.js not bundled, or the language server bundled');
// an import() left in the script would fail at run time (no dynamic-import callback); rolldown
// prints them with double quotes, which the data files' strings hold only escaped
const left = /(?<![\w.$\\])import\("/.exec(readFileSync(FILE, 'utf8'));
if (left) throw new Error(`bundle: an import() is left in ${FILE} at ${left.index}`);

// the code cache, after the bundle has linted a few fixtures (the functions a run compiles)
const script = loader.bundleScript(FILE);
const cli = loader.runBundle(script, FILE);
const io = { stdout: () => {}, stderr: () => {}, isTTY: false, env: {}, cwd: ROOT };
for (const fixture of ['deploy-follow', 'deploy-actions', 'deploy-dockerfile', 'deploy-compose', 'core-deno-json', 'core-node-pins']) {
  const dir = join(ROOT, 'fixtures', fixture);
  if (!existsSync(dir)) continue;
  for (const format of ['json', 'stylish']) await cli.main(['--format', format, dir], { ...io, cwd: dir });
}
writeFileSync(CACHE, script.createCachedData());

const size = (p) => statSync(p).size;
const stamp = {
  bundle: { path: posix(relative(DIST, FILE)), size: size(FILE) },
  cache: { path: posix(relative(DIST, CACHE)), size: size(CACHE) },
  inputs: inputs.map((p) => [p, size(join(DIST, p))]),
  builder: SELF,
};
writeFileSync(STAMP, `${JSON.stringify(stamp)}\n`);
if (!loader.trustedBundle(DIST)?.cache) throw new Error('bundle: the stamp just written does not hold');
console.log(`bundle: ${inputs.length} modules, ${(stamp.bundle.size / 1024).toFixed(0)} KiB, code cache ${(stamp.cache.size / 1024).toFixed(0)} KiB`);
process.exit(0);
