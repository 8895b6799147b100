/**
 * The link-only walk with folder listings made ahead by the parser thread (src/list-ahead.ts)
 * against the same walk listing every folder itself: the same files, kinds, texts and ruled-out
 * records, on generated trees on disk with nested `.gitignore` files, folders the walk never
 * enters, symbolic links (to folders inside, to a folder that holds them, out of the root, to
 * files), a FIFO and odd names (spaces, a newline, a backslash, non-ASCII, a Kelvin sign).
 *
 * The thread's side (`Lister.step`) runs here, interleaved with the walk's requests in every way
 * a generator picks (ahead of the whole walk, never, or a few folders between two of the walk's
 * listings), so that each order the two threads can meet in is met; the CLI's real thread is
 * checked by the deno pre-commit output (docs/performance.md).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFs } from '../../src/fs.js';
import { linkOnlyDiscover } from '../../src/lint.js';
import { ListAhead, Lister } from '../../src/list-ahead.js';
import { randomFolders, rng } from '../helpers.js';

const FOLDERS = ['a', 'b', 'src', 'tests', 'out', '.github', 'workflows', 'ci', 'deep', 'node_modules', '.git', 'dist', 'K\u212Aelvin', 'sp ace', 'nl\nname', 'back\\slash', 'é', '😀', 'x.yml'];
const FILES = ['Dockerfile', 'Procfile', 'Makefile', 'deno.json', 'package.json', 'compose.yaml', 'ci.yml', 'action.yaml', '.nvmrc', 'x.sh', 'README.md', 'main.ts', 'mod.js', 'data.json', 'main.rs', 'é.yml', 'sp ace.sh', 'nl\n.sh'];
const RULES = ['out/', 'deep', '!deep', '/a/b', '**/ci.yml', '*.md', 'tests/', 'sp*', 'K*/', '!README.md', 'é'];

/** A generated tree; its root. */
function tree(r: () => number): string {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const root = mkdtempSync(join(tmpdir(), 'permlint-listahead-'));
  const folders = randomFolders(r, root, FOLDERS, 30, 5);
  for (const f of folders) {
    for (let i = 0; i < 4; i++) writeFileSync(join(root, f, pick(FILES)), 'deno task build\n');
    if (r() < 0.3) writeFileSync(join(root, f, '.gitignore'), Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(RULES)).join('\n'));
  }
  for (let i = 0; i < 4; i++) {
    const at = join(root, pick(folders), `link${i}`);
    const to = [join(root, pick(folders)), '/tmp', join(root, pick(folders), pick(FILES)), '..'][Math.floor(r() * 4)]!;
    try {
      symlinkSync(to, at);
    } catch {
      /* taken */
    }
  }
  if (r() < 0.3) {
    try {
      execFileSync('mkfifo', [join(root, pick(folders), 'fifo.yml')]);
    } catch {
      /* no mkfifo */
    }
  }
  return root;
}

const shape = (files: ReturnType<typeof linkOnlyDiscover>) => files.map((f) => [f.path, f.kind, f.text ?? null, f.ruledOut ?? null]);

describe('the link-only walk with listings made ahead', () => {
  it('finds what the walk finds alone, however the two sides meet', () => {
    const r = rng(29);
    let taken = 0;
    let own = 0;
    for (let k = 0; k < 30; k++) {
      const root = tree(r);
      try {
        const named = ['deno.json', 'src/main.ts', 'a/b/x.sh'];
        const want = shape(linkOnlyDiscover(nodeFs, root, named, { ignore: [] }, undefined));
        for (const mode of ['ahead', 'never', 'interleaved', 'interleaved', 'interleaved'] as const) {
          const job = ListAhead.memoryFor(root);
          const lister = new Lister(job);
          const ahead = new ListAhead(job);
          if (mode === 'ahead') while (lister.step());
          if (mode === 'interleaved') {
            const take = ahead.take.bind(ahead);
            const most = 1 + Math.floor(r() * 6);
            ahead.take = (p) => {
              for (let n = Math.floor(r() * most); n > 0; n--) lister.step();
              return take(p);
            };
          }
          const got = shape(linkOnlyDiscover(nodeFs, root, named, { ignore: [] }, undefined, ahead));
          expect([k, mode, got]).toEqual([k, mode, want]);
          // the walk has ended: the thread stops
          expect(lister.step()).toBe(false);
          taken += ahead.stats.taken;
          own += ahead.stats.own;
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
    // both sides listed folders the walk used
    expect(taken).toBeGreaterThan(500);
    expect(own).toBeGreaterThan(500);
  });
});
