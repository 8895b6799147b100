/** Discovery opens each candidate once: a file a source takes by its name is read whole, not head first. */
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover.js';
import { memoryFs, type FileSystem } from '../../src/fs.js';

function counting(fs: FileSystem): { fs: FileSystem; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    fs: {
      readdir: (p) => fs.readdir(p),
      lstat: (p) => fs.lstat(p),
      stat: (p) => fs.stat(p),
      realpath: (p) => fs.realpath(p),
      cwd: () => fs.cwd(),
      readFile: (p, max) => {
        reads.set(p, (reads.get(p) ?? 0) + 1);
        return fs.readFile(p, max);
      },
    },
  };
}

describe('discovery reads', () => {
  it('a TypeScript file larger than the sniff head is opened once, and a shebang .js still becomes a shebang script', () => {
    const big = `export const x = 1;\n${'// filler line of a large module\n'.repeat(100)}`;
    const { fs, reads } = counting(
      memoryFs({
        'src/big.ts': big,
        'tools/run.js': `#!/usr/bin/env -S deno run --allow-read\n${'console.log(1);\n'.repeat(100)}`,
        'empty.ts': '',
        'data.yaml': `a: 1\n${'b: 2\n'.repeat(300)}`,
      }),
    );
    const r = discover(['.'], { fs }, '/');
    expect(r.files.map((f) => [f.path, f.kind])).toEqual([
      ['data.yaml', 'kubernetes'],
      ['src/big.ts', 'typescript'],
      ['tools/run.js', 'shebang'],
    ]);
    expect(r.files[1]!.text).toBe(big);
    expect(reads.get('/src/big.ts')).toBe(1);
    expect(reads.get('/tools/run.js')).toBe(1);
    expect(reads.get('/data.yaml')).toBe(1);
    expect(reads.get('/empty.ts')).toBe(1);
  });
});
