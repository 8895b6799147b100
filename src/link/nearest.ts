/**
 * "The nearest X up from a folder" — how Deno finds its deno.json, npm its package.json and
 * version managers their pin files — as one helper instead of a walk in each pass.
 * Folders are repo-relative with `/` separators; `''` is the repository root.
 */

/** The folder of a repo-relative path (`''` for a file at the root). */
export function parentDir(dir: string): string | undefined {
  return dir === '' ? undefined : dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
}

/** `dir` and every folder above it, nearest first, ending with `''`. */
export function foldersUp(dir: string): string[] {
  const out: string[] = [];
  for (let d: string | undefined = dir; d !== undefined; d = parentDir(d)) out.push(d);
  return out;
}

/** Items indexed by the folder they sit in, for nearest-first lookups. */
export class ByFolder<T> {
  private readonly map = new Map<string, T[]>();
  constructor(items: Iterable<T>, dirOf: (item: T) => string) {
    for (const x of items) {
      const d = dirOf(x);
      const list = this.map.get(d);
      if (list) list.push(x);
      else this.map.set(d, [x]);
    }
  }

  /** Items of exactly this folder. */
  at(dir: string): T[] {
    return this.map.get(dir) ?? [];
  }

  /**
   * Walk up from `dir`: `visit` sees the items of each folder that has any, nearest first, and
   * returns a result to stop with, `false` to stop with nothing, or undefined to go on.
   */
  walk<R>(dir: string, visit: (items: T[], folder: string) => R | false | undefined): R | undefined {
    for (const d of foldersUp(dir)) {
      const items = this.map.get(d);
      if (!items) continue;
      const r = visit(items, d);
      if (r === false) return undefined;
      if (r !== undefined) return r;
    }
    return undefined;
  }

  /** The first item up from `dir` that `accept` takes (nearest first). */
  nearest(dir: string, accept: (item: T) => boolean = () => true): T | undefined {
    return this.walk(dir, (items) => items.find(accept));
  }

  /** Every item up from `dir`, nearest first. */
  chain(dir: string): T[] {
    return foldersUp(dir).flatMap((d) => this.map.get(d) ?? []);
  }
}
