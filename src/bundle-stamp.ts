/**
 * Whether a bundle the build made (dist/bundle/: the CLI's, the parser thread's) can be trusted to
 * be what the compiled modules it was made from say, by its stamp (see ./cli-loader.ts). Its own
 * module, with nothing but Node's built-ins: the parser thread's start (./sources/typescript/parser.ts)
 * checks the thread's bundle with it.
 */
import { channel } from 'node:diagnostics_channel';
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, sep } from 'node:path';

/** What the build records next to the bundle. Paths relative to the dist folder. */
export interface BundleStamp {
  bundle: { path: string; size: number };
  cache?: { path: string; size: number } | undefined;
  inputs: [path: string, size: number][];
}

export const STAMP_NAME = 'bundle/stamp.json';
/** The parser thread's bundle (src/sources/typescript/thread-entry.ts), checked the same way. */
export const THREAD_STAMP_NAME = 'bundle/thread-stamp.json';
/**
 * What bin/permlint.js runs before the CLI bundle, as CommonJS scripts without code caches
 * (scripts/bundle.mjs): the quick answers (src/quick.ts) and this loader with the parser thread's
 * early start (src/cli-loader.ts). bin/permlint.js checks their stamps itself, the same way: it
 * cannot load this module first without Node's ES-module loader.
 */
export const ENTRY_STAMP_NAME = 'bundle/entry-stamp.json';
export const QUICK_STAMP_NAME = 'bundle/quick-stamp.json';

/**
 * The file of a stamp's input: a path under the dist folder, or `~<package>/<path>` for a
 * package's file bundled into the parser thread's script (oxc-parser's JavaScript, which must
 * match its native binding): found where this install resolves the package.
 */
function inputFile(dist: string, path: string, packages: Map<string, string>): string {
  // (concatenated, not path.join: the stamp's paths are relative and use `/`, which every
  // platform's file calls take, and `join` normalises each one, cold at start: ~4.5 ms of the
  // CLI's 173 inputs in a fresh process against ~0.3 ms)
  if (!path.startsWith('~')) return withSep(dist) + path;
  const slash = path.indexOf('/', path.startsWith('~@') ? path.indexOf('/') + 1 : 1);
  const pkg = path.slice(1, slash);
  let dir = packages.get(pkg);
  if (dir === undefined) packages.set(pkg, (dir = withSep(packageDir(join(dist, 'src'), pkg))));
  return dir + path.slice(slash + 1);
}

/** A folder's path ending with a separator. */
const withSep = (dir: string) => (dir.endsWith('/') || dir.endsWith(sep) ? dir : dir + sep);

/**
 * The folder of package `pkg` as `require` from `from` finds it: the first `node_modules/<pkg>`
 * with a package.json in `from` or a folder above it (Node's lookup, without its exports-map
 * resolution: ~5 ms of a start on the main thread); Node's resolver when there is none (NODE_PATH,
 * the global folders).
 */
export function packageDir(from: string, pkg: string): string {
  for (let dir = from; ; ) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', pkg);
      if (statSync(join(candidate, 'package.json'), { throwIfNoEntry: false })?.isFile()) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dirname(createRequire(join(from, '/')).resolve(`${pkg}/package.json`));
}

/**
 * Whether a dist/ folder is an installed copy: the package sits in a `node_modules` folder. npm
 * gives each file it extracts the time it wrote it, in no order (npm 11: `dist/bundle/cli.cjs` 54 ms
 * older than `dist/src/lint.js` in one install), so there the stamps compare sizes only; in a
 * working tree, where `tsc -b` can rewrite a module without the bundle step, dates too.
 */
export function installedCopy(dist: string): boolean {
  return dist.split(/[\\/]/).includes('node_modules');
}

/** The script and the path of its code cache (when trusted), or undefined when the ES modules must be used. */
export function trustedBundleFiles(dist: string, stampName = STAMP_NAME): { file: string; cacheFile?: string | undefined } | undefined {
  let stamp: BundleStamp;
  try {
    stamp = JSON.parse(readFileSync(join(dist, stampName), 'utf8')) as BundleStamp;
  } catch {
    return undefined;
  }
  try {
    const file = join(dist, stamp.bundle.path);
    const b = statSync(file);
    if (b.size !== stamp.bundle.size || !stamp.inputs.length) return undefined;
    // (each package resolved once)
    const packages = new Map<string, string>();
    const dated = !installedCopy(dist);
    for (const [path, size] of stamp.inputs) {
      const s = statSync(inputFile(dist, path, packages));
      if (s.size !== size || (dated && s.mtimeMs > b.mtimeMs)) return undefined;
    }
    let cacheFile: string | undefined;
    if (stamp.cache) {
      const c = statSync(join(dist, stamp.cache.path), { throwIfNoEntry: false });
      if (c && c.size === stamp.cache.size && (!dated || c.mtimeMs >= b.mtimeMs)) cacheFile = join(dist, stamp.cache.path);
    }
    return { file, cacheFile };
  } catch {
    return undefined;
  }
}

/**
 * A bundle's code cache file, unless `PERMLINT_CODE_CACHE=0`: the bundle is then compiled as it
 * runs (measurements: V8's optimised code has differed between the two, `npm run bench -- --only
 * hostile` compares them; docs/performance.md).
 */
export function withCodeCache(cacheFile: string | undefined): string | undefined {
  return process.env.PERMLINT_CODE_CACHE === '0' ? undefined : cacheFile;
}

/** The script and (when trusted) its code cache, or undefined when the ES modules must be used. */
export function trustedBundle(dist: string, stampName = STAMP_NAME): { file: string; cache?: Buffer | undefined } | undefined {
  const t = trustedBundleFiles(dist, stampName);
  if (!t) return undefined;
  let cache: Buffer | undefined;
  try {
    if (t.cacheFile) cache = readFileSync(t.cacheFile);
  } catch {
    /* no cache: compiled as it runs */
  }
  return { file: t.file, cache };
}

/** The text around a bundle's script: a CommonJS wrapper (see bundleScript). */
export const BUNDLE_WRAPPER = ['(function (exports, require, module, __filename, __dirname, __permlintImport) {', '\n})'] as const;

/**
 * A bundle's script as V8 compiles it (BUNDLE_WRAPPER around the file's text) and its code cache
 * (`cacheFile`; undefined when it cannot be read), with as few first touches of memory as Node
 * allows: every new 4 KB page costs ~12.5 us on the machines measured (docs/performance.md,
 * "This session (eleventh): loading the bundles"). The wrapper is written into the buffer the file
 * is read into, so the string V8 gets is flat: a concatenation is a cons string, which V8 copies
 * into a new one before it compiles (390 pages for the CLI's, 214 for the thread's). The buffer is
 * then reused for the code cache, once the text has been copied out of it. The build writes the
 * bundles in ASCII only (scripts/bundle.mjs), so the text is read as Latin-1 (a copy; Node's UTF-8
 * decoding of the CLI's 1.5 MB took ~10-20 ms more); a text that is not ASCII after all (an edited
 * bundle) as UTF-8. The parser thread reads its bundle with READ_BUNDLE_JS, the same steps.
 */
export function readBundle(file: string, cacheFile?: string): { source: string; cache: Buffer | undefined } {
  return readBundleSteps({ closeSync, fstatSync, openSync, readSync, statSync }, isAscii, BUNDLE_WRAPPER[0], BUNDLE_WRAPPER[1], file, cacheFile);
}

/** What readBundleSteps uses of node:fs. */
type BundleFs = Pick<typeof import('node:fs'), 'closeSync' | 'fstatSync' | 'openSync' | 'readSync' | 'statSync'>;

/**
 * readBundle's steps with everything they use passed in: the function refers to nothing but its
 * parameters and the global `Buffer`, so that its own text is the parser thread's reader too
 * (READ_BUNDLE_JS), one copy of the steps for both threads.
 */
function readBundleSteps(fs: BundleFs, ascii: (bytes: Uint8Array) => boolean, head: string, tail: string, file: string, cacheFile: string | undefined): { source: string; cache: Buffer | undefined } {
  // up to `n` bytes of `fd` from its start into `buf` at `at`: how many it read
  const readInto = (fd: number, buf: Buffer, at: number, n: number): number => {
    let got = 0;
    for (let r; got < n && (r = fs.readSync(fd, buf, at + got, n - got, got)) > 0; ) got += r;
    return got;
  };
  let cacheSize = 0;
  try {
    if (cacheFile !== undefined) cacheSize = fs.statSync(cacheFile).size;
  } catch {
    /* no cache: compiled as it runs */
  }
  const fd = fs.openSync(file, 'r');
  let buf: Buffer;
  let end: number;
  try {
    const size = fs.fstatSync(fd).size;
    buf = Buffer.allocUnsafeSlow(Math.max(head.length + size + tail.length, cacheSize));
    buf.write(head, 0, 'latin1');
    end = head.length + readInto(fd, buf, head.length, size);
  } finally {
    fs.closeSync(fd);
  }
  end += buf.write(tail, end, 'latin1');
  const bytes = buf.subarray(0, end);
  const source = ascii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  let cache: Buffer | undefined;
  if (cacheSize > 0 && cacheFile !== undefined) {
    try {
      const cfd = fs.openSync(cacheFile, 'r');
      try {
        if (readInto(cfd, buf, 0, cacheSize) === cacheSize) cache = buf.subarray(0, cacheSize);
      } finally {
        fs.closeSync(cfd);
      }
    } catch {
      /* no cache */
    }
  }
  return { source, cache };
}

/**
 * readBundle as the text of a JavaScript function `(file, cacheFile) => { source, cache }`, for the
 * parser thread's worker source (./sources/typescript/parser.ts), which is evaluated without this
 * module: readBundleSteps's own text, given `require`'s node:fs and the wrapper.
 */
export const READ_BUNDLE_JS = `(file, cacheFile) => (${readBundleSteps.toString()})(require('node:fs'), require('node:buffer').isAscii, ${JSON.stringify(BUNDLE_WRAPPER[0])}, ${JSON.stringify(BUNDLE_WRAPPER[1])}, file, cacheFile)`;

/**
 * The diagnostics channel on which a run says whether V8 took each bundle's code cache
 * (`{ script: 'cli' | 'thread', rejected }`, published only when someone listens): V8 rejects a
 * cache made under other V8 flags (src/heap.ts), which costs the compile it was made to save.
 * test/e2e/code-cache.test.ts listens in CLI runs.
 */
export const CODE_CACHE_CHANNEL = 'permlint:code-cache';

/** Publishes whether a bundle's code cache was taken (see CODE_CACHE_CHANNEL). */
export function reportCodeCache(script: 'cli' | 'thread', rejected: boolean): void {
  const c = channel(CODE_CACHE_CHANNEL);
  if (c.hasSubscribers) c.publish({ script, rejected });
}

/**
 * The diagnostics channel on which a run says when the parser thread starts and is ready
 * (src/sources/typescript/parser.ts; published only when someone listens): `{ event: 'start',
 * early, at }` when its Worker is made (`early`: before the CLI is loaded, src/cli-loader.ts),
 * `{ event: 'ready', at }` when this thread hears that it has loaded its code. `at`: `Date.now()`
 * where it happened (the ready time is the thread's).
 */
export const PARSER_THREAD_CHANNEL = 'permlint:parser-thread';

/** Publishes a parser thread's start or readiness (see PARSER_THREAD_CHANNEL). */
export function reportParserThread(m: { event: 'start'; early: boolean } | { event: 'ready'; at: number | undefined }): void {
  const c = channel(PARSER_THREAD_CHANNEL);
  if (c.hasSubscribers) c.publish({ at: Date.now(), ...m });
}
