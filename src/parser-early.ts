/**
 * The parser thread started first thing in a CLI run that will scan a tree (bin/permlint.js calls
 * this before it loads the CLI): the thread's start — a second isolate, oxc's native binding, the
 * compiled analysis and section G's modules — then overlaps this thread's module loading and
 * discovery instead of following them. Started unreferenced: a run that never uses it (no
 * TypeScript, no entrypoint) ends without waiting for it. A guess on the arguments only: it
 * decides when the thread starts, never what is read or reported; a thread that cannot start is
 * reported by the first parse, as without this call.
 *
 * Not here: the quick answers (bin/permlint.js answers them first), commands that scan nothing,
 * `--stdin`, `--print-config`, and runs on named files only (pre-commit): src/cli.ts starts the
 * thread for those when a named file will use it (src/parser-warmup.ts).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/** Commands that read no code. */
const NO_SCAN = new Set(['explain', 'rules', 'init', 'lsp']);
/** Options that take the next argument as their value (src/cli.ts OPTIONS, type 'string'): that argument is not a path. */
const WITH_VALUE = new Set(['-f', '--format', '-o', '--output', '--fail-on', '--max-warnings', '--rule', '--ignore', '-c', '--config', '--print-config', '--baseline', '--write-baseline', '--cache-location', '--stdin-filename', '--persona', '--min-confidence']);
/** Options after which no tree is scanned. */
const NO_TREE = /^--(?:stdin|print-config|help|version)(?:=|$)|^-[hv]$/;

/** Whether the arguments ask for a scan of a folder (the default `.`, or a named folder), by the paths among them. */
export function scansFolder(argv: string[], isDir: (path: string) => boolean | undefined): boolean {
  if (NO_SCAN.has(argv[0] ?? '')) return false;
  let dirs = 0;
  let files = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (NO_TREE.test(a)) return false;
    if (WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('-') && !(i === 0 && (a === 'audit' || a === 'diff'))) {
      const d = isDir(a);
      if (d === true) dirs++;
      else if (d === false) files++;
    }
  }
  // no path (the current folder), or a folder among them; named files alone: src/cli.ts decides;
  // `infer` reads an entrypoint's modules (in the thread) whatever it is given
  return argv[0] === 'infer' || dirs > 0 || files === 0;
}

/** Starts the parser thread, unreferenced, when the arguments ask for a scan of a folder (the thread module is loaded only then). */
export async function startParserThreadForRun(argv: string[], cwd = process.cwd()): Promise<boolean> {
  if (!scansFolder(argv, (p) => isDirectory(cwd, p))) return false;
  const { startParserThread, threadModule } = await import('./sources/typescript/parser.js');
  const modules = ['./sources/typescript/thread.js', './infer/thread.js'].map((m) => threadModule(m, import.meta.url));
  if (modules.some((m) => m === undefined)) return false;
  startParserThread(modules as string[], true);
  return true;
}

function isDirectory(cwd: string, p: string): boolean | undefined {
  try {
    return statSync(resolve(cwd, p)).isDirectory();
  } catch {
    return undefined;
  }
}
