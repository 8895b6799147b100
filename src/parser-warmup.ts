/**
 * Starting the parser thread ahead of its first use, for a run on a few named files (pre-commit):
 * when one of them is a TypeScript/JavaScript file the sniff keeps (the analysis will run there)
 * or a `#!` script (section G reads it), the thread's start — a second isolate, oxc's native
 * binding, the compiled modules it will be asked to import — overlaps this thread's own loading
 * and walking instead of following the scan. A file that needs no thread starts none.
 *
 * A run on a folder starts it before the CLI is compiled too (src/cli-loader.ts) when a guess
 * says the walk will very likely find a TypeScript/JavaScript file (`codeNamedBelow`: names only,
 * a few folders listed): a guess that decides when the thread starts, never what is read or
 * reported (the CLI's discovery adopts the thread when it finds a candidate, else it stays unused).
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** What a named file is, as discovery reads it: its kind by content (TypeScript, a `#!` script) and its text. */
export interface NamedCode {
  path: string;
  kind: string;
  text?: string | undefined;
}

/** Whether the named files will use the parser thread (src/lint.ts: its listings ahead of the link-only walk need it started). */
export function usesParserThread(files: NamedCode[]): boolean {
  return modulesFor(files) !== undefined;
}

/** Whether the named files will use the parser thread, and which of its modules (relative to this one): undefined when none. */
function modulesFor(files: NamedCode[]): string[] | undefined {
  const code = files.some((f) => f.kind === 'typescript' && f.text !== undefined);
  const script = files.some((f) => f.kind === 'shebang');
  if (!code && !script) return undefined;
  return [...(code ? ['./sources/typescript/thread.js'] : []), ...(script ? ['./infer/thread.js'] : [])];
}

/**
 * Starts the thread when the named files (as discovery found them) will use it; `early`: before
 * the CLI is loaded (src/cli-loader.ts), for the CLI's copy of the parser module to adopt.
 */
export async function warmParserThread(files: NamedCode[], early = false): Promise<void> {
  const wanted = modulesFor(files);
  if (!wanted) return;
  const { startEarlyParserThread, startParserThread, threadModule } = await import('./sources/typescript/parser.js');
  // the thread runs the compiled modules; PERMLINT_TS_THREAD=0 keeps the analysis in this thread
  const modules = wanted.map((m) => threadModule(m, import.meta.url));
  (early ? startEarlyParserThread : startParserThread)(modules.every((m) => m !== undefined) ? (modules as string[]) : []);
}

/**
 * The same decision before discovery has run (the CLI, before it loads the lint pipeline): the
 * named paths that look like code by name are read (regular files only, not through a final link,
 * at most `maxBytes`) and classified as discovery classifies a named file. A guess only: it
 * decides when the thread starts, never what is read or reported.
 */
export async function warmParserThreadFor(paths: string[], read: (path: string) => Uint8Array | undefined, early = false): Promise<void> {
  const named = paths.filter((x) => CODE_FILE.test(x) && !DECLARATIONS.test(x)).slice(0, 32);
  if (!named.length) return;
  // (the sniff and the parser module in one round of Node's loader)
  const [{ kindByContent, mayHoldFacts, SNIFF_BYTES }] = await Promise.all([import('./sources/registry.js'), import('./sources/typescript/parser.js')]);
  const files: NamedCode[] = [];
  for (const p of named) {
    const bytes = read(p);
    if (!bytes) continue;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const kind = kindByContent(text.slice(0, SNIFF_BYTES), p, true);
    if (kind) files.push({ path: p, kind, ...(mayHoldFacts(kind, p, text) ? { text } : {}) });
  }
  await warmParserThread(files, early);
}

/**
 * A named file as the CLI reads it (./fs.ts `readFile` with `noFollow`): a regular file, not
 * through a final link, at most `maxBytes`; undefined otherwise. Node's built-ins only, for the
 * start before the CLI is loaded.
 */
export function readNamed(path: string, maxBytes: number): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < st.size) {
      const r = readSync(fd, buf, n, st.size - n, null);
      if (r === 0) break;
      n += r;
    }
    return buf.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A file name of TypeScript/JavaScript code (declaration files too: DECLARATIONS): what the loader and the folder guess look for. */
export const CODE_FILE = /\.[cm]?[jt]sx?$/i;
const DECLARATIONS = /\.d\.[cm]?ts$/i;
/**
 * Folders the guess does not enter: ./never-walked.ts's, which discovery never walks (hidden ones
 * are left out by their dot). A copy, not an import: this module loads before the CLI's bundle,
 * where each ES module more is a load of its own (test/e2e/cli-bundle.test.ts bounds them).
 */
const NOT_ENTERED = new Set(['node_modules', 'vendor', 'dist', 'coverage']);
/** How many folders the guess lists at most. */
export const GUESS_FOLDERS = 32;

/**
 * Whether a TypeScript/JavaScript file is in `dir` or below, by name, within the first `maxFolders`
 * folders listed depth first (the first subfolder before its siblings: code is rarely more than a
 * few levels down, and a wide tree is not listed level by level). Listings only, as discovery
 * makes them; no file is opened. On the corpus's 33 repositories and generated trees a code file
 * was found within 5 folders; a tree without one costs at most `maxFolders` listings.
 */
export function codeNamedBelow(dir: string, maxFolders = GUESS_FOLDERS): boolean {
  const stack = [dir];
  for (let listed = 0; stack.length && listed < maxFolders; listed++) {
    let entries: Dirent[];
    const d = stack.pop()!;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isFile()) {
        if (CODE_FILE.test(e.name) && !DECLARATIONS.test(e.name)) return true;
      } else if (e.isDirectory() && !e.name.startsWith('.') && !NOT_ENTERED.has(e.name)) stack.push(join(d, e.name));
    }
  }
  return false;
}

/**
 * The same guess for a run on folders (`dirs`: absolute paths; files among them are left to the
 * CLI), before the CLI is loaded: the thread starts, with the analysis module to load, when one of
 * the first few folders holds a code file by name (`codeNamedBelow`). A wrong guess costs a thread
 * that boots and stays unused; a folder without code starts none.
 */
export async function warmParserThreadForFolders(dirs: string[]): Promise<boolean> {
  const folder = (d: string) => {
    try {
      return statSync(d).isDirectory();
    } catch {
      return false;
    }
  };
  if (!dirs.slice(0, 4).some((d) => folder(d) && codeNamedBelow(d))) return false;
  const { startEarlyParserThread, threadModule } = await import('./sources/typescript/parser.js');
  const m = threadModule('./sources/typescript/thread.js', import.meta.url);
  startEarlyParserThread(m ? [m] : []);
  return true;
}
