/**
 * Lint text that is not (or not yet) on disk as if it were a file of its repository: the
 * editor's unsaved buffer (`permlint lsp`) or standard input (`--stdin --stdin-filename`).
 * The repository around the file is scanned as it is on disk, with this one file replaced,
 * so that its context is the real one (a task that a Dockerfile runs is deployment).
 */
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { lint, type LintOptions, type LintResult } from '../lint.js';
import { nodeFs, type DirEntry, type FileSystem } from '../fs.js';
import { repositoryRoot } from '../config.js';

/** The folder a single file is linted in: its repository, or its own folder outside one. */
export function scanRootFor(file: string): string {
  return repositoryRoot(dirname(resolve(file))) ?? dirname(resolve(file));
}

/** The disk, with the file at `file` (absolute) holding `text` instead of what is saved, or added when it is new. */
export function overlayFs(base: FileSystem, file: string, text: string): FileSystem {
  const target = resolve(file);
  const dir = dirname(target);
  const name = basename(target);
  const bytes = Buffer.from(text, 'utf8');
  const is = (p: string) => resolve(p) === target;
  return {
    readdir(p) {
      const entries: DirEntry[] = base.readdir(p);
      if (resolve(p) === dir && !entries.some((e) => e.name === name)) entries.push({ name, type: 'file' });
      return entries;
    },
    lstat: (p) => (is(p) ? { type: 'file', size: bytes.length } : base.lstat(p)),
    stat: (p) => (is(p) ? { type: 'file', size: bytes.length } : base.stat(p)),
    readFile: (p, maxBytes) => (is(p) ? (maxBytes === undefined ? bytes : bytes.subarray(0, maxBytes)) : base.readFile(p, maxBytes)),
    realpath(p) {
      if (!is(p)) return base.realpath(p);
      try {
        return base.realpath(p);
      } catch {
        return resolve(base.realpath(dir), name);
      }
    },
    cwd: () => base.cwd(),
  };
}

/**
 * The findings of `text` as the file `file` (absolute path), in the context of its repository.
 * Paths in the result are relative to the repository root (`result.root`).
 */
export async function lintText(file: string, text: string, options: LintOptions = {}): Promise<LintResult> {
  const abs = resolve(file);
  const root = scanRootFor(abs);
  const rel = relative(root, abs).split(sep).join('/');
  const result = await lint({ fs: overlayFs(nodeFs, abs, text), paths: [root, abs] }, { ...options, cwd: root });
  return { ...result, findings: result.findings.filter((f) => f.span.file === rel) };
}
