/**
 * How inference reads the modules an entrypoint reaches: repo-relative paths only, inside the
 * scan root, never through a symlink that leaves it, at most {@link MAX_MODULE_BYTES} per file,
 * through the project's {@link FileSystem} (the disk, or a tree in memory).
 */
import { posix, resolve, sep } from 'node:path';
import { nodeFs, type FileSystem } from '../fs.js';

export interface InferFs {
  /** The text of a repo-relative file (posix separators), or undefined when it is missing, too large, binary or outside the root. */
  read(path: string): string | undefined;
  /**
   * The scan root when the files are read from the real disk (`inferFs(nodeFs, root)`): the parser
   * thread can then read the same files itself (./thread.ts). Undefined for a tree in memory.
   */
  readonly disk?: string;
}

export const MAX_MODULE_BYTES = 1 << 20;

/**
 * A reader of the files under `root`, each read once (`maxChars`: the texts it keeps, in UTF-16
 * units, before it forgets them all and reads again as needed; unbounded by default, for one call).
 */
export function inferFs(fs: FileSystem, root: string, maxChars = Infinity): InferFs {
  const cache = new Map<string, string | undefined>();
  let chars = 0;
  let realRoot: string | undefined;
  const inside = (p: string, r: string) => p === r || p.startsWith(r.endsWith(sep) || r.endsWith('/') ? r : r + (r.includes('\\') ? sep : '/'));
  return {
    ...(fs === nodeFs ? { disk: root } : {}),
    read(path) {
      if (cache.has(path)) return cache.get(path);
      let out: string | undefined;
      const norm = posix.normalize(path);
      if (norm && norm !== '.' && !norm.startsWith('/') && !norm.startsWith('../')) {
        try {
          const abs = resolve(root, ...norm.split('/'));
          let st = fs.lstat(abs);
          if (st.type === 'symlink') {
            realRoot ??= fs.realpath(root);
            st = inside(fs.realpath(abs), realRoot) ? fs.stat(abs) : { type: 'other', size: 0 };
          }
          if (st.type === 'file' && st.size <= MAX_MODULE_BYTES) {
            const text = new TextDecoder().decode(fs.readFile(abs, st.size));
            if (!text.includes('\0')) out = text;
          }
        } catch {
          out = undefined;
        }
      }
      if (out !== undefined && (chars += out.length) > maxChars) {
        cache.clear();
        chars = out.length;
      }
      cache.set(path, out);
      return out;
    },
  };
}

/** A tree of repo-relative paths held in memory (unit tests). */
export function filesFs(files: Record<string, string>): InferFs {
  return { read: (p) => files[p] };
}
