/**
 * How inference reads the modules an entrypoint reaches: repo-relative paths only, inside the
 * scan root, never through a symlink that leaves it, at most {@link MAX_MODULE_BYTES} per file.
 * The lint pipeline passes one instance; tests pass an in-memory one.
 */
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';

export interface InferFs {
  /** The text of a repo-relative file (posix separators), or undefined when it is missing, too large, binary or outside the root. */
  read(path: string): string | undefined;
}

export const MAX_MODULE_BYTES = 1 << 20;

export function diskFs(root: string): InferFs {
  const cache = new Map<string, string | undefined>();
  let realRoot: string | undefined;
  return {
    read(path) {
      if (cache.has(path)) return cache.get(path);
      let out: string | undefined;
      if (path && !path.startsWith('/') && !path.split('/').includes('..')) {
        try {
          const abs = join(root, ...path.split('/'));
          const st = lstatSync(abs);
          let ok = st.isFile();
          if (st.isSymbolicLink()) {
            realRoot ??= realpathSync(root);
            const real = realpathSync(abs);
            ok = real.startsWith(realRoot + sep) && lstatSync(real).isFile();
          }
          if (ok && st.size <= MAX_MODULE_BYTES) {
            const text = readFileSync(abs, 'utf8');
            if (!text.includes('\0')) out = text;
          }
        } catch {
          out = undefined;
        }
      }
      cache.set(path, out);
      return out;
    },
  };
}

/** An in-memory tree (tests, `--stdin`). */
export function memoryFs(files: Record<string, string>): InferFs {
  return { read: (p) => files[p] };
}
