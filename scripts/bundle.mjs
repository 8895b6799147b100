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
 *   Dockerfile as much CPU as the whole CLI from the cache; yaml's Parser reads its LOG_TOKENS
 *   switch once instead of once per token), and semver's functions (each required
 *   on its first call, src/semver.ts). oxc-parser,
 *   mvdan-sh, the TOML reader and the language server (src/lsp/server.js, with
 *   vscode-languageserver) stay outside, loaded by Node when used.
 * - The code cache is made after the bundle has linted a few fixtures in this process, so that
 *   it holds the functions a lint run compiles, not only the top level.
 * - The parser thread's code the same way (src/sources/typescript/parser.ts loads it there):
 *   dist/bundle/thread.cjs from src/sources/typescript/thread-entry.js (the analysis, section G's
 *   modules, oxc-parser's JavaScript — its native binding stays a `require`), its code cache
 *   (made by the thread itself after the fixtures' lint) and dist/bundle/thread-stamp.json, whose
 *   inputs also hold oxc-parser's bundled files (`~oxc-parser/…`: they must match the binding).
 * - Skipped when both stamps already hold for the current dist/ and this script is unchanged.
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
const TFILE = join(OUT, 'thread.cjs');
const TCACHE = join(OUT, 'thread.cache');
const TSTAMP = join(DIST, 'bundle/thread-stamp.json');
const EFILE = join(OUT, 'entry.cjs');
const ESTAMP = join(DIST, 'bundle/entry-stamp.json');
const QFILE = join(OUT, 'quick.cjs');
const QSTAMP = join(DIST, 'bundle/quick-stamp.json');
const NODE_MODULES = join(ROOT, 'node_modules') + sep;
const SELF = statSync(fileURLToPath(import.meta.url)).size;
const posix = (p) => p.split(sep).join('/');

const loader = await import(pathToFileURL(join(DIST, 'src/cli-loader.js')).href);
if (!process.argv.includes('--force') && loader.trustedBundle(DIST)?.cache && loader.trustedBundle(DIST, loader.THREAD_STAMP_NAME)?.cache && loader.trustedBundle(DIST, loader.ENTRY_STAMP_NAME) && loader.trustedBundle(DIST, loader.QUICK_STAMP_NAME)) {
  try {
    if ([STAMP, TSTAMP, ESTAMP, QSTAMP].every((f) => JSON.parse(readFileSync(f, 'utf8')).builder === SELF)) process.exit(0);
  } catch {
    /* rebuild */
  }
}

const { rolldown } = await import('rolldown');
// the stamp goes first: a bundle without its stamp is never trusted
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
// the parser thread's copy of oxc's TypeScript deserializer, without the identifiers' empty fields
const { slimDeserializer } = await import(pathToFileURL(join(DIST, 'src/sources/typescript/slim.js')).href);
const OXC_TS = join(NODE_MODULES, 'oxc-parser/src-js/generated/deserialize/ts.js');
let slimmed = false;
// yaml's Parser reads process.env.LOG_TOKENS (a debugging switch) once per lexical token: ~35,000
// reads of the environment (a call into C++ each, ~11 ms) for denoland/deno's generated workflow.
// The bundled copy reads it once, when the module is first evaluated (the first YAML file); the
// CLI clears it before (bin/permlint.js: the tokens would go to stdout), so nothing changes but the cost.
const YAML_PARSER = join(NODE_MODULES, 'yaml/dist/parse/parser.js');
const YAML_TOKEN_LOG = 'node_process.env.LOG_TOKENS';
let yamlHoisted = false;
const plugin = {
  name: 'permlint-module-url',
  transform(code, id) {
    if (id === YAML_PARSER) {
      const head = "var node_process = require('process');\n";
      if (code.split(YAML_TOKEN_LOG).length !== 2 || code.split(head).length !== 2) return null;
      yamlHoisted = true;
      return { code: code.replace(head, `${head}const permlintLogTokens = ${YAML_TOKEN_LOG};\n`).replace(`if (${YAML_TOKEN_LOG})`, 'if (permlintLogTokens)') };
    }
    if (id === OXC_TS) {
      const slim = slimDeserializer(code);
      if (slim === undefined) return null;
      slimmed = true;
      return { code: slim };
    }
    // oxc-parser's binding loader resolves its native file from its own folder
    const own = id.startsWith(DIST + sep) || id.startsWith(join(NODE_MODULES, 'oxc-parser') + sep);
    if (!id.endsWith('.js') || !own) return null;
    let out = code;
    // the parsers src/sources/ requires on first use (yaml, dockerfile-ast with the language
    // server's types) and semver's functions (src/semver.ts): bundled too, evaluated on first
    // use, compiled out of the cache
    out = out.replace(/\bcreateRequire\(import\.meta\.url\)\((['"])(yaml|dockerfile-ast|semver\/(?:functions|ranges)\/\w+)\1\)/g, 'require($1$2$1)');
    // (not inside a string: src/infer/values.ts compares against the text 'import.meta.url')
    out = out.replace(/(?<!["'`])import\.meta\.url/g, `__permlintModuleUrl(${JSON.stringify(posix(relative(OUT, id)))})`);
    // import() of the packages loaded that way (the TOML reader), or of the language server (an ES module of dist/, with
    // vscode-languageserver): Node's loader, through the function the loader passes in (a
    // vm.Script from a code cache cannot import() by itself in Node 20)
    out = out.replace(/(?<!["'`.\w])import\((['"])(toml-eslint-parser)\1\)/g, '__permlintImport($1$2$1)');
    if (id === join(DIST, 'src/cli.js')) out = out.replace(/(?<!["'`.\w])import\((['"])\.\/lsp\/server\.js\1\)/g, '__permlintImport(__permlintModuleUrl("../src/lsp/server.js"))');
    return out === code ? null : { code: out };
  },
};

// The two small scripts bin/permlint.js runs before the CLI bundle, `require`d (CommonJS: Node's
// ES-module loader is then never loaded): dist/bundle/quick.cjs (src/quick.ts, the answers that
// only print text) and dist/bundle/entry.cjs (src/cli-loader.ts with what the parser thread's early
// start loads: parser-warmup's imports of the sniff and the parser module). Every other import()
// of a dist/ module in them (the loader's fallback to the CLI's ES modules; the sources the
// registry loads on use) stays Node's, of the module at its dist/ location.
const ENTRY_INLINE = new Map([[join(DIST, 'src/parser-warmup.js'), ['./sources/registry.js', './sources/typescript/parser.js']]]);
const entryPlugin = {
  name: 'permlint-entry-imports',
  transform(code, id) {
    if (!id.startsWith(DIST + sep) || !id.endsWith('.js')) return null;
    const inline = ENTRY_INLINE.get(id) ?? [];
    const out = code.replace(/(?<!["'`.\w])import\((['"])(\.\.?\/[^'"]+)\1\)/g, (all, q, spec) =>
      inline.includes(spec) ? all : `import(__permlintModuleUrl(${JSON.stringify(posix(relative(OUT, join(dirname(id), spec))))}))`,
    );
    return out === code ? null : { code: out };
  },
};

/** One script of `input` and what it holds: its dist/ modules, and the package files it must match (`~<package>/<path>`). */
async function bundle(input, file, external, pinned = [], entry = false) {
  const build = await rolldown({ input, platform: 'node', logLevel: 'warn', resolve: { mainFields: ['module', 'main'] }, external, plugins: entry ? [plugin, entryPlugin] : [plugin] });
  const { output } = await build.write({
    file,
    format: 'cjs',
    codeSplitting: false,
    // ASCII only: a script with one non-ASCII character is read into a two-byte string, which
    // costs Node's UTF-8 decoding and V8's compile about twice the CPU; non-ASCII is escaped in
    // the code, and the doc comments that held it are dropped (licence comments are kept)
    charset: 'ascii',
    comments: { legal: true, annotation: false, jsdoc: false },
    banner: 'const __permlintModuleUrl = (rel) => require("node:url").pathToFileURL(require("node:path").join(__dirname, rel)).href;',
  });
  await build.close();
  const chunk = output.find((o) => o.type === 'chunk');
  const inputs = chunk.moduleIds.filter((id) => id.startsWith(DIST + sep)).map((id) => posix(relative(DIST, id)));
  for (const pkg of pinned) {
    const dir = join(NODE_MODULES, pkg) + sep;
    inputs.push(...chunk.moduleIds.filter((id) => id.startsWith(dir)).map((id) => `~${pkg}/${posix(relative(dir, id))}`));
  }
  // an import() left in the script would fail at run time (no dynamic-import callback); rolldown
  // prints them with double quotes, which the data files' strings hold only escaped
  const text = readFileSync(file, 'utf8');
  const left = !entry && /(?<![\w.$\\])import\("/.exec(text);
  if (left) throw new Error(`bundle: an import() is left in ${file} at ${left.index}`);
  // (charset: 'ascii' escapes what it can: a non-ASCII character left would double the read and compile)
  // eslint-disable-next-line no-control-regex -- the range is every ASCII character, NUL included
  const wide = /[^\x00-\x7f]/.exec(text);
  if (wide) throw new Error(`bundle: a non-ASCII character is left in ${file} at ${wide.index}: ${JSON.stringify(text.slice(Math.max(0, wide.index - 60), wide.index + 20))}`);
  return inputs;
}

const inputs = await bundle(join(DIST, 'src/cli-entry.js'), FILE, [/^node:/, 'toml-eslint-parser', 'oxc-parser', /^oxc-parser\//, 'mvdan-sh', /^vscode-languageserver($|\/)/]);
if (!inputs.includes('src/cli.js') || inputs.includes('src/lsp/server.js')) throw new Error('bundle: src/cli.js not bundled, or the language server bundled');
// the parser thread's: oxc-parser's JavaScript in, its native binding (a .node file, or its platform package) out;
// the registry's lazy sources come in with the YAML readers it runs (src/scan-ahead.ts), but not
// dockerfile-ast and the language-server types it brings (174 KiB the thread never reads: every
// pre-commit run that names code loads this script; a require of them would still find them)
const threadInputs = await bundle(join(DIST, 'src/sources/typescript/thread-entry.js'), TFILE, [/^node:/, 'toml-eslint-parser', 'mvdan-sh', 'dockerfile-ast', /^vscode-languageserver($|-|\/)/, /^@oxc-parser\/binding-/, /\.node$/], ['oxc-parser']);
if (!yamlHoisted) console.warn('bundle: yaml\'s parser does not read LOG_TOKENS as this script expects: bundled as published');
if (!slimmed) console.warn('bundle: oxc-parser\'s TypeScript deserializer is not written as src/sources/typescript/slim.ts expects: bundled as published');
// (the slim copy is made by that module at build time: it is an input of the bundle like the modules it holds)
else threadInputs.push('src/sources/typescript/slim.js');
if (!threadInputs.includes('src/sources/typescript/thread.js') || !threadInputs.includes('src/infer/thread.js') || !threadInputs.includes('~oxc-parser/src-js/bindings.js')) throw new Error('bundle: the parser thread\'s modules or oxc-parser\'s binding loader not bundled');
// what bin/permlint.js runs before the CLI: the quick answers; the loader and the early start (no code caches)
const quickInputs = await bundle(join(DIST, 'src/quick.js'), QFILE, [/^node:/], [], true);
const entryInputs = await bundle(join(DIST, 'src/cli-loader.js'), EFILE, [/^node:/], [], true);
if (!['src/cli-loader.js', 'src/parser-warmup.js', 'src/sources/typescript/parser.js'].every((m) => entryInputs.includes(m)) || entryInputs.includes('src/cli.js') || entryInputs.includes('src/cli-entry.js') || quickInputs.includes('src/cli-loader.js')) throw new Error('bundle: the entry script does not hold the loader, or holds the CLI');
const size = (p) => statSync(p).size;
const stampOf = (f, c, ins) => ({
  bundle: { path: posix(relative(DIST, f)), size: size(f) },
  ...(c ? { cache: { path: posix(relative(DIST, c)), size: size(c) } } : {}),
  inputs: ins.map((p) => [p, size(p.startsWith('~') ? join(NODE_MODULES, p.slice(1)) : join(DIST, p))]),
  builder: SELF,
});
// the thread's bundle is used (without a cache) while the fixtures are linted: its thread makes its cache
writeFileSync(TSTAMP, `${JSON.stringify(stampOf(TFILE, undefined, threadInputs))}\n`);
if (!loader.trustedBundle(DIST, loader.THREAD_STAMP_NAME)) throw new Error('bundle: the thread stamp just written does not hold');

// the code cache, after the bundle has linted a few fixtures (the functions a run compiles)
const script = loader.bundleScript(FILE);
const cli = loader.runBundle(script, FILE);
const io = { stdout: () => {}, stderr: () => {}, isTTY: false, env: {}, cwd: ROOT };
for (const fixture of ['deploy-follow', 'deploy-actions', 'deploy-dockerfile', 'deploy-compose', 'core-deno-json', 'core-node-pins', 'ts-spawn', 'ts-netscript', 'infer-programs', 'launch-wrappers-ts']) {
  const dir = join(ROOT, 'fixtures', fixture);
  if (!existsSync(dir)) continue;
  for (const format of ['json', 'stylish']) await cli.main(['--format', format, dir], { ...io, cwd: dir });
}
writeFileSync(CACHE, script.createCachedData());
const threadCache = await cli.threadCodeCache();
if (!threadCache) throw new Error('bundle: the parser thread did not run its bundle');
writeFileSync(TCACHE, threadCache);

const stamp = stampOf(FILE, CACHE, inputs);
writeFileSync(STAMP, `${JSON.stringify(stamp)}\n`);
writeFileSync(TSTAMP, `${JSON.stringify(stampOf(TFILE, TCACHE, threadInputs))}\n`);
writeFileSync(ESTAMP, `${JSON.stringify(stampOf(EFILE, undefined, entryInputs))}\n`);
writeFileSync(QSTAMP, `${JSON.stringify(stampOf(QFILE, undefined, quickInputs))}\n`);
if (!loader.trustedBundle(DIST, loader.ENTRY_STAMP_NAME) || !loader.trustedBundle(DIST, loader.QUICK_STAMP_NAME) || !loader.trustedBundle(DIST)?.cache || !loader.trustedBundle(DIST, loader.THREAD_STAMP_NAME)?.cache) throw new Error('bundle: a stamp just written does not hold');
console.log(`bundle: quick ${quickInputs.length} modules, ${(size(QFILE) / 1024).toFixed(0)} KiB; loader ${entryInputs.length} modules, ${(size(EFILE) / 1024).toFixed(0)} KiB; CLI ${inputs.length} modules, ${(stamp.bundle.size / 1024).toFixed(0)} KiB, code cache ${(stamp.cache.size / 1024).toFixed(0)} KiB; parser thread: ${threadInputs.length} modules, ${(size(TFILE) / 1024).toFixed(0)} KiB, code cache ${(size(TCACHE) / 1024).toFixed(0)} KiB`);
process.exit(0);
