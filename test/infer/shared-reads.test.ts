import { describe, expect, it } from 'vitest';
import { buildGraphs } from '../../src/infer/index.js';
import { filesFs, inferFs, type InferFs } from '../../src/infer/fs.js';
import { memoryFs, type FileSystem } from '../../src/fs.js';

/** An InferFs that counts the reads of each path. */
function counting(files: Record<string, string>): { fs: InferFs; reads: Map<string, number> } {
  const inner = filesFs(files);
  const reads = new Map<string, number>();
  return { fs: { read: (p) => (reads.set(p, (reads.get(p) ?? 0) + 1), inner.read(p)) }, reads };
}

const TREE = {
  'deno.json': JSON.stringify({ workspace: ['./app', './lib'], imports: { '@std/path': 'jsr:@std/path@1' } }),
  'app/deno.json': JSON.stringify({ imports: { util: './util.ts' } }),
  'lib/deno.json': JSON.stringify({ name: '@acme/lib', exports: './mod.ts' }),
  'lib/mod.ts': 'Deno.env.get("LIB");\n',
  'app/util.ts': 'import "@acme/lib";\nDeno.readTextFileSync("./u.txt");\n',
  'app/a.ts': 'import "util";\nimport "@std/path";\nDeno.env.get("A");\n',
  'app/b.ts': 'import "util";\nimport "@acme/lib";\nDeno.env.get("B");\n',
};

describe('graphs that share a reader', () => {
  it('read each deno.json once for all their graphs, and give the graphs each gives alone', async () => {
    const shared = counting(TREE);
    const jobs = [
      { runtime: 'deno' as const, entry: 'app/a.ts' },
      { runtime: 'deno' as const, entry: 'app/b.ts' },
      { runtime: 'node' as const, entry: 'app/b.ts' },
    ];
    const together = await buildGraphs(shared.fs, jobs);
    const alone = [];
    for (const j of jobs) alone.push((await buildGraphs(filesFs(TREE), [j]))[0]);
    expect(together).toEqual(alone);
    expect([...together[1]!.modules.keys()].sort()).toEqual(['app/b.ts', 'app/util.ts', 'lib/mod.ts']);
    // the import maps of a folder are found once for all the graphs (filesFs does not cache: every read counts)
    const one = counting(TREE);
    await buildGraphs(one.fs, [jobs[0]!]);
    const configs = (reads: Map<string, number>) => [...reads].filter(([p]) => p.endsWith('deno.json')).sort();
    expect(configs(shared.reads)).toEqual(configs(one.reads));
    expect(configs(one.reads)).toEqual([['app/deno.json', 1], ['deno.json', 1], ['lib/deno.json', 1]]);
  });

  it('a bounded reader forgets what it read past its bound and reads it again', () => {
    let reads = 0;
    const mem = memoryFs({ '/r/a.ts': 'a'.repeat(10), '/r/b.ts': 'b'.repeat(10) });
    const fs: FileSystem = { ...mem, readFile: (...a: Parameters<FileSystem['readFile']>) => (reads++, mem.readFile(...a)) };
    const bounded = inferFs(fs, '/r', 15);
    expect(bounded.read('a.ts')).toBe('a'.repeat(10));
    expect(bounded.read('a.ts')).toBe('a'.repeat(10));
    expect(reads).toBe(1);
    expect(bounded.read('b.ts')).toBe('b'.repeat(10));
    expect(bounded.read('a.ts')).toBe('a'.repeat(10));
    expect(reads).toBe(3);
    const unbounded = inferFs(fs, '/r');
    for (const p of ['a.ts', 'b.ts', 'a.ts', 'b.ts']) unbounded.read(p);
    expect(reads).toBe(5);
  });
});
