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
  const bytes = Buffer.from(text, 'utf8');
  const is = (p: string) => resolve(p) === target;
  // folders of a file that is not saved yet may not exist either: they exist in the overlay
  const virtualDirs = new Map<string, string>(); // folder → the entry below it on the way to the file
  for (let child = target, dir = dirname(target); dir !== child; child = dir, dir = dirname(dir)) {
    virtualDirs.set(dir, basename(child));
  }
  const onDisk = (p: string) => {
    try {
      base.lstat(p);
      return true;
    } catch {
      return false;
    }
  };
  return {
    readdir(p) {
      const dir = resolve(p);
      const next = virtualDirs.get(dir);
      const entries: DirEntry[] = next !== undefined && !onDisk(dir) ? [] : base.readdir(p);
      if (next !== undefined && !entries.some((e) => e.name === next)) entries.push({ name: next, type: dirname(target) === dir ? 'file' : 'directory' });
      return entries;
    },
    lstat: (p) => (is(p) ? { type: 'file', size: bytes.length } : virtualDirs.has(resolve(p)) && !onDisk(p) ? { type: 'directory', size: 0 } : base.lstat(p)),
    stat: (p) => (is(p) ? { type: 'file', size: bytes.length } : virtualDirs.has(resolve(p)) && !onDisk(p) ? { type: 'directory', size: 0 } : base.stat(p)),
    readFile: (p, maxBytes) => (is(p) ? (maxBytes === undefined ? bytes : bytes.subarray(0, maxBytes)) : base.readFile(p, maxBytes)),
    realpath(p) {
      try {
        return base.realpath(p);
      } catch (e) {
        if (!is(p) && !virtualDirs.has(resolve(p))) throw e;
        // the nearest folder that exists, resolved, with the rest of the path below it
        let dir = resolve(p);
        const rest: string[] = [];
        while (!onDisk(dir) && dirname(dir) !== dir) {
          rest.unshift(basename(dir));
          dir = dirname(dir);
        }
        return resolve(base.realpath(dir), ...rest);
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
