/**
 * Starting the parser thread ahead of its first use, for a run on a few named files (pre-commit):
 * when one of them is a TypeScript/JavaScript file the sniff keeps (the analysis will run there)
 * or a `#!` script (section G reads it), the thread's start — a second isolate, oxc's native
 * binding, the compiled modules it will be asked to import — overlaps this thread's own loading
 * and walking instead of following the scan. A file that needs no thread starts none.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { kindByContent, mayHoldFacts, SNIFF_BYTES } from './sources/registry.js';

/** What a named file is, as discovery reads it: its kind by content (TypeScript, a `#!` script) and its text. */
export interface NamedCode {
  path: string;
  kind: string;
  text?: string | undefined;
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
  const files: NamedCode[] = [];
  for (const p of paths.filter((x) => /\.[cm]?[jt]sx?$/i.test(x) && !/\.d\.[cm]?ts$/i.test(x)).slice(0, 32)) {
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
