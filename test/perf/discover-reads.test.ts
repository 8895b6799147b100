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
    // the TypeScript sniff rules it out at once: no text is kept, only its digest and length
    expect(r.files[1]!.text).toBeUndefined();
    expect(r.files[1]!.ruledOut).toMatchObject({ length: big.length, role: { role: 'production' } });
    expect(reads.get('/src/big.ts')).toBe(1);
    expect(reads.get('/tools/run.js')).toBe(1);
    expect(reads.get('/data.yaml')).toBe(1);
    expect(reads.get('/empty.ts')).toBe(1);
  });

  it('keeps the text of TypeScript candidates, of files with a directive the run keeps, and of files with NUL bytes; the scan counts ruled-out files as read', async () => {
    const files = {
      'a.ts': `import { spawn } from 'node:child_process';\nspawn('deno', ['run', 'x.ts']);\n`,
      'b.ts': 'export const b = 1;\n',
      'c.ts': '// permlint-ignore-file\nexport const c = 1;\n',
      'd.ts': 'export const d = "\0";\n',
      'gen/e_test.ts': 'export const e = 1;\n',
    };
    const r = discover(['.'], { fs: memoryFs(files), keepText: (t) => t.includes('permlint-ignore') }, '/');
    const by = new Map(r.files.map((f) => [f.path, f]));
    expect(by.get('a.ts')!.text).toBe(files['a.ts']);
    expect(by.get('b.ts')!.text).toBeUndefined();
    expect(by.get('c.ts')!.text).toBe(files['c.ts']);
    expect(by.get('d.ts')!.text).toBe(files['d.ts']);
    expect(by.get('gen/e_test.ts')!.ruledOut!.role).toMatchObject({ role: 'test' });
    const { scan } = await import('../../src/scan.js');
    // (the candidate stays out: it would load the parser)
    const s = await scan(r.files.filter((f) => f.path !== 'a.ts'), { fs: memoryFs(files) });
    expect([...s.files.keys()].sort()).toEqual(['b.ts', 'c.ts', 'gen/e_test.ts']);
    // a ruled-out file's text is read again when asked, checked against the digest discovery took
    expect(s.files.get('b.ts')).toBe(files['b.ts']);
    expect(s.model.roles?.['gen/e_test.ts']).toMatchObject({ role: 'test' });
  });
});

describe('the safe opener', () => {
  it('reads a file whole in any size, stops at maxBytes, and refuses a link where it opens a checked path', async () => {
    const { mkdtempSync, writeFileSync, symlinkSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readRegularFile, safeRead } = await import('../../src/fsafe.js');
    const { nodeFs } = await import('../../src/fs.js');
    const dir = mkdtempSync(join(tmpdir(), 'permlint-read-'));
    try {
      for (const n of [0, 1, 63, 64, 65, 4096, 70_000]) {
        const data = Buffer.alloc(n, 'x');
        writeFileSync(join(dir, `f${n}`), data);
        expect(readRegularFile(join(dir, `f${n}`)).equals(data)).toBe(true);
        expect(readRegularFile(join(dir, `f${n}`), 100).length).toBe(Math.min(n, 100));
      }
      symlinkSync(join(dir, 'f1'), join(dir, 'link'));
      expect(safeRead(nodeFs, join(dir, 'link'), { maxBytes: 10, noLinks: true })).toMatchObject({ ok: false, refusal: 'loop' });
      expect(safeRead(nodeFs, join(dir, 'link'), { maxBytes: 10, root: dir })).toMatchObject({ ok: true });
      const mem = memoryFs({ 'a.ts': 'x' }, { symlinks: { 'l.ts': 'a.ts' } });
      expect(safeRead(mem, '/l.ts', { maxBytes: 10, noLinks: true })).toMatchObject({ ok: false, refusal: 'loop' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a file its folder listed as regular without asking its type: whole, bounded, links and folders put there refused, a FIFO never waited on', async () => {
    const { mkdtempSync, writeFileSync, symlinkSync, rmSync, mkdirSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readRegularFile, safeRead } = await import('../../src/fsafe.js');
    const { nodeFs } = await import('../../src/fs.js');
    const dir = mkdtempSync(join(tmpdir(), 'permlint-listed-'));
    const listed = (p: string, max: number) => readRegularFile(p, max, true, true, true);
    try {
      for (const n of [0, 1, 64, 65_536, 70_000]) {
        const data = Buffer.alloc(n, `${n % 10}`);
        writeFileSync(join(dir, `f${n}`), data);
        // the read asks one byte more than it accepts (safeRead's maxBytes + 1): a full read is a file too large
        expect(Buffer.from(listed(join(dir, `f${n}`), 70_001)).equals(data)).toBe(true);
        expect(listed(join(dir, `f${n}`), 65).length).toBe(Math.min(n, 65));
        expect(safeRead(nodeFs, join(dir, `f${n}`), { maxBytes: 64, noLinks: true, borrow: true, listed: true })).toMatchObject(
          n > 64 ? { ok: false, refusal: 'too-large' } : { ok: true },
        );
      }
      // a link or a folder where the listing saw a file: refused as before (O_NOFOLLOW, EISDIR)
      symlinkSync(join(dir, 'f1'), join(dir, 'link'));
      mkdirSync(join(dir, 'sub'));
      expect(safeRead(nodeFs, join(dir, 'link'), { maxBytes: 10, noLinks: true, borrow: true, listed: true })).toMatchObject({ ok: false, refusal: 'loop' });
      expect(safeRead(nodeFs, join(dir, 'sub'), { maxBytes: 10, noLinks: true, borrow: true, listed: true })).toMatchObject({ ok: false, refusal: 'not-regular' });
      expect(safeRead(nodeFs, join(dir, 'gone'), { maxBytes: 10, noLinks: true, borrow: true, listed: true })).toMatchObject({ ok: false, refusal: 'missing' });
      // a FIFO (no writer) put where a file was listed: opened non-blocking, read as empty, never waited on
      let fifo = false;
      try {
        execFileSync('mkfifo', [join(dir, 'pipe.ts')]);
        fifo = true;
      } catch {
        /* no mkfifo here */
      }
      if (fifo) {
        const r = safeRead(nodeFs, join(dir, 'pipe.ts'), { maxBytes: 10, noLinks: true, borrow: true, listed: true });
        expect(r.ok && r.bytes.length).toBe(0);
        // the walk never reads it: its listing says FIFO (skipped with the reason), as before
        writeFileSync(join(dir, 'deno.json'), '{"tasks":{"a":"deno run main.ts"}}');
        const d = discover(['.'], {}, dir);
        expect(d.skipped).toContainEqual({ path: 'pipe.ts', reason: 'a FIFO (named pipe), not a regular file' });
        expect(d.files.find((f) => f.path === 'deno.json')?.text).toBe('{"tasks":{"a":"deno run main.ts"}}');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a walk on the disk reads each listed file whole and in walk order, too large files skipped, links inside the root followed', async () => {
    const { mkdtempSync, writeFileSync, symlinkSync, rmSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'permlint-walk-'));
    try {
      mkdirSync(join(dir, 'a/b'), { recursive: true });
      mkdirSync(join(dir, 'c'));
      const texts: Record<string, string> = {
        'deno.json': '{"tasks":{"x":"deno run -A x.ts"}}',
        'a/package.json': `{"scripts":{"s":"node ${'y'.repeat(3000)}.js"}}`,
        'a/b/deno.json': '{}',
        'c/w.ts': 'import { spawn } from "node:child_process";\nspawn("ls");\n',
        'c/z.ts': 'export const z = 1;\n',
      };
      for (const [p, t] of Object.entries(texts)) writeFileSync(join(dir, p), t);
      writeFileSync(join(dir, 'c/big.ts'), `// ${'x'.repeat(5000)}\n`);
      symlinkSync(join(dir, 'deno.json'), join(dir, 'c/linked.json'));
      const order: string[] = [];
      const r = discover(['.'], { maxFileBytes: 4096, onFile: (f) => order.push(f.path) }, dir);
      expect(order).toEqual(['deno.json', 'a/package.json', 'a/b/deno.json', 'c/w.ts', 'c/z.ts']);
      expect(r.files.map((f) => f.path)).toEqual(['a/b/deno.json', 'a/package.json', 'c/w.ts', 'c/z.ts', 'deno.json']);
      for (const f of r.files) {
        if (f.text !== undefined) expect(f.text).toBe(texts[f.path]);
        else expect(f.ruledOut?.length).toBe(texts[f.path]!.length);
      }
      expect(r.skipped).toEqual([{ path: 'c/big.ts', reason: 'TypeScript/JavaScript file larger than the 4 KiB limit; not read' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
