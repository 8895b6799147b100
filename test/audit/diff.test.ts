import { describe, expect, it } from 'vitest';
import { compareKind, contentRenames, diffExitCode, diffInventories, groupOf, matchEntries, similarity } from '../../src/audit/diff.js';
import { buildInventory, type AuditEntry, type PermValue } from '../../src/audit/inventory.js';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';

function entry(file: string, key: string, line: number, perms: Partial<Record<'read' | 'net' | 'write', PermValue>>, more: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: `${file}#${key}`,
    key,
    type: 'invocation',
    file,
    line,
    column: 1,
    source: file.endsWith('.sh') ? 'shell' : 'deno.json',
    name: null,
    runtime: 'deno',
    command: 'run',
    program: 'deno',
    entrypoint: 'main.ts',
    context: { kind: 'development' },
    permissions: { read: 'none', write: 'none', net: 'none', ...perms },
    ...more,
  };
}

describe('compareKind', () => {
  it('none → list, list gaining entries and list → all widen; the reverse narrows', () => {
    expect(compareKind('none', ['/tmp']).widened?.gained).toEqual(['/tmp']);
    expect(compareKind(['/tmp'], ['/tmp', '/var']).widened?.gained).toEqual(['/var']);
    expect(compareKind(['/tmp'], 'all').widened).toEqual({ before: ['/tmp'], after: 'all', gained: 'all' });
    expect(compareKind(['/tmp'], 'all').narrowed).toBeUndefined();
    expect(compareKind('all', ['/tmp']).narrowed).toEqual({ before: 'all', after: ['/tmp'], lost: 'all' });
    expect(compareKind('all', ['/tmp']).widened).toBeUndefined();
    expect(compareKind(['/tmp'], 'none').narrowed?.lost).toEqual(['/tmp']);
    expect(compareKind(['/tmp'], ['/tmp'])).toEqual({});
  });

  it('a list swapped for another both widens (gained) and narrows (lost)', () => {
    const c = compareKind(['a.com'], ['b.com']);
    expect(c.widened?.gained).toEqual(['b.com']);
    expect(c.narrowed?.lost).toEqual(['a.com']);
  });

  it('lifting a deny widens; adding one narrows', () => {
    expect(compareKind('all', 'all', ['/etc'], undefined).widened?.deniesLifted).toEqual(['/etc']);
    expect(compareKind('all', 'all', undefined, ['/etc']).narrowed?.deniesAdded).toEqual(['/etc']);
    expect(compareKind('all', 'all', undefined, ['/etc']).widened).toBeUndefined();
  });
});

describe('compareKind through the query engine', () => {
  const read = { kind: 'read' as const, runtime: 'deno' as const, baseBefore: '', baseAfter: '' };

  it('a path under the old one narrows; a folder above it widens', () => {
    const narrower = compareKind(['/a'], ['/a/b'], undefined, undefined, read);
    expect(narrower.widened).toBeUndefined();
    expect(narrower.narrowed?.lost).toEqual(['/a']);
    const wider = compareKind(['/a/b'], ['/a'], undefined, undefined, read);
    expect(wider.narrowed).toBeUndefined();
    expect(wider.widened?.gained).toEqual(['/a']);
  });

  it('a reordered or respelled list is no change', () => {
    expect(compareKind(['/etc', '/tmp'], ['/tmp', '/etc'], undefined, undefined, read)).toEqual({});
    expect(compareKind(['./data', '/tmp/'], ['data', '/tmp'], undefined, undefined, read)).toEqual({});
    expect(compareKind(['a.com', 'b.com:443'], ['b.com:443', 'a.com'], undefined, undefined, { kind: 'net' })).toEqual({});
  });

  it('relative values resolve against each side\'s own base folder', () => {
    // `./data` run from `svc` is `svc/data`; the same grant written from the root as `svc/data` is no change
    expect(compareKind(['./data'], ['svc/data'], undefined, undefined, { kind: 'read', baseBefore: 'svc', baseAfter: '' })).toEqual({});
    expect(compareKind(['./data'], ['./data'], undefined, undefined, { kind: 'read', baseBefore: 'svc', baseAfter: '' }).widened?.gained).toEqual(['./data']);
  });

  it('allow-all against an explicit list compares by coverage: `/` reaches every path, a host list never reaches every host', () => {
    expect(compareKind('all', ['/'], undefined, undefined, read)).toEqual({});
    expect(compareKind(['/'], 'all', undefined, undefined, read)).toEqual({});
    expect(compareKind('all', ['/etc'], undefined, undefined, read).narrowed?.lost).toBe('all');
    expect(compareKind(['/etc'], ['/'], undefined, undefined, read).widened?.gained).toEqual(['/']);
    expect(compareKind(['a.com'], 'all', undefined, undefined, { kind: 'net' }).widened?.gained).toBe('all');
  });

  it('hosts: a wildcard covers its subdomains, a port-less host covers every port', () => {
    const net = { kind: 'net' as const };
    expect(compareKind(['*.example.com'], ['api.example.com'], undefined, undefined, net).widened).toBeUndefined();
    expect(compareKind(['api.example.com'], ['*.example.com'], undefined, undefined, net).widened?.gained).toEqual(['*.example.com']);
    expect(compareKind(['a.com:443'], ['a.com'], undefined, undefined, net).widened?.gained).toEqual(['a.com']);
    expect(compareKind(['a.com'], ['a.com:443'], undefined, undefined, net).widened).toBeUndefined();
  });

  it('env: a prefix pattern covers the names under it', () => {
    const env = { kind: 'env' as const };
    expect(compareKind(['AWS_*'], ['AWS_REGION'], undefined, undefined, env).widened).toBeUndefined();
    expect(compareKind(['AWS_REGION'], ['AWS_*'], undefined, undefined, env).widened?.gained).toEqual(['AWS_*']);
  });

  it('denies compare by coverage too: a deny inside an old one is no lifting, a narrower deny lifts the rest', () => {
    expect(compareKind('all', 'all', ['/etc'], ['/etc/'], read)).toEqual({});
    expect(compareKind('all', 'all', ['/etc'], ['/etc/ssh'], read).widened?.deniesLifted).toEqual(['/etc']);
    expect(compareKind('all', 'all', ['/etc/ssh'], ['/etc'], read).widened).toBeUndefined();
  });

  it('diffInventories compares with the entry\'s kind, runtime and base', () => {
    const b = [entry('deno.json', 'task:start', 3, { read: ['/a'], net: ['a.com', 'b.com'] }, { base: '' })];
    const a = [entry('deno.json', 'task:start', 3, { read: ['/a/b'], net: ['b.com', 'a.com'] }, { base: '' })];
    const d = diffInventories('main', b, a, new Map());
    expect(d.widened).toEqual([]);
    expect(d.narrowed.map((e) => Object.keys(e.kinds))).toEqual([['read']]);
    expect(diffExitCode(d)).toBe(0);
    const back = diffInventories('main', a, b, new Map());
    expect(back.widened.map((e) => e.kinds.read?.gained)).toEqual([['/a']]);
    expect(diffExitCode(back)).toBe(1);
  });
});

describe('matchEntries', () => {
  it('matches by identity, not by line', () => {
    const b = [entry('deno.json', 'task:a', 3, {}), entry('deno.json', 'task:b', 4, {})];
    const a = [entry('deno.json', 'task:b', 3, {}), entry('deno.json', 'task:a', 9, {})];
    const pairs = matchEntries(b, a, (f) => f);
    expect(pairs.map(([x, y]) => `${x.key}@${x.line}→${y.key}@${y.line}`).sort()).toEqual(['task:a@3→task:a@9', 'task:b@4→task:b@3']);
  });

  it('commands of one script whose ordinals shifted pair by what they run', () => {
    const b = [entry('run.sh', 'sh#1', 1, { read: 'all' }, { entrypoint: 'a.ts' }), entry('run.sh', 'sh#2', 2, {}, { entrypoint: 'b.ts' })];
    // a command inserted on top: a.ts is now sh#2, b.ts sh#3
    const a = [entry('run.sh', 'sh#2', 2, { read: 'all' }, { entrypoint: 'a.ts' }), entry('run.sh', 'sh#3', 3, {}, { entrypoint: 'b.ts' })];
    const d = diffInventories('HEAD', b, a, new Map());
    expect(d.widened).toEqual([]);
    expect(d.narrowed).toEqual([]);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
  });

  it('ordinals of other sources (CI steps, unit lines, recipe lines) shift the same way and still pair', () => {
    const src = { source: 'github-actions' as const };
    const b = [entry('.github/workflows/ci.yml', 'check/1', 7, { read: ['.'] }, { ...src, entrypoint: 'lint.ts' })];
    const a = [
      entry('.github/workflows/ci.yml', 'check/1', 7, { net: 'all' }, { ...src, entrypoint: 'fetch.ts' }),
      entry('.github/workflows/ci.yml', 'check/2', 8, { read: ['.'] }, { ...src, entrypoint: 'lint.ts' }),
    ];
    const d = diffInventories('HEAD', b, a, new Map());
    expect(d.widened).toEqual([]);
    expect(d.added.map((x) => x.key)).toEqual(['check/1']);
    expect(groupOf('ExecStart:1')).toBe('ExecStart');
    expect(groupOf('task:start')).toBe('task:start');
  });

  it('follows a rename given old → new path', () => {
    const b = [entry('old.sh', 'sh', 1, { read: ['/x'] })];
    const a = [entry('new.sh', 'sh', 1, { read: ['/x'] })];
    const d = diffInventories('HEAD', b, a, new Map([['old.sh', 'new.sh']]));
    expect(d.moved).toEqual([{ id: 'new.sh#sh', from: { file: 'old.sh', line: 1 }, to: { file: 'new.sh', line: 1 } }]);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    const without = diffInventories('HEAD', b, a, new Map());
    expect(without.added.map((x) => x.id)).toEqual(['new.sh#sh']);
    expect(without.removed.map((x) => x.id)).toEqual(['old.sh#sh']);
  });
});

describe('diffInventories and the exit code', () => {
  it('widening a scoped read to unscoped is widened, names the entry and kind, exit 1', () => {
    const d = diffInventories('main', [entry('deno.json', 'task:start', 3, { read: ['/tmp'] })], [entry('deno.json', 'task:start', 3, { read: 'all' })], new Map());
    expect(d.widened).toHaveLength(1);
    expect(d.widened[0]).toMatchObject({ id: 'deno.json#task:start', kinds: { read: { before: ['/tmp'], after: 'all', gained: 'all' } } });
    expect(d.narrowed).toEqual([]);
    expect(diffExitCode(d)).toBe(1);
  });

  it('narrowing only exits 0', () => {
    const d = diffInventories('main', [entry('deno.json', 'task:start', 3, { read: 'all', net: ['a.com', 'b.com'] })], [entry('deno.json', 'task:start', 3, { read: ['/tmp'], net: ['a.com'] })], new Map());
    expect(d.widened).toEqual([]);
    expect(Object.keys(d.narrowed[0]!.kinds).sort()).toEqual(['net', 'read']);
    expect(diffExitCode(d)).toBe(0);
  });

  it('an added entry counts as widening only when it grants something', () => {
    const none = diffInventories('main', [], [entry('deno.json', 'task:fmt', 3, {})], new Map());
    expect(none.added[0]!.widens).toBe(false);
    expect(diffExitCode(none)).toBe(0);
    const some = diffInventories('main', [], [entry('deno.json', 'task:x', 3, { net: 'all' })], new Map());
    expect(some.added[0]!.widens).toBe(true);
    expect(diffExitCode(some)).toBe(1);
    const removed = diffInventories('main', [entry('deno.json', 'task:x', 3, { net: 'all' })], [], new Map());
    expect(removed.removed).toHaveLength(1);
    expect(diffExitCode(removed)).toBe(0);
  });
});

describe('contentRenames', () => {
  it('pairs a vanished file with a new untracked file of the same kind and similar content', () => {
    const ref = new Map([['a.sh', 'set -e\necho start\ndeno run --allow-read=/x main.ts\n'], ['keep.sh', 'x\n']]);
    const work = new Map([['b.sh', 'set -e\necho start\ndeno run --allow-read=/x main.ts\necho done\n'], ['c.sh', 'totally\ndifferent\n'], ['keep.sh', 'x\n']]);
    const kind = (p: string) => p.slice(p.lastIndexOf('.'));
    expect(contentRenames(ref, work, ['a.sh'], ['b.sh', 'c.sh'], kind, new Map())).toEqual(new Map([['a.sh', 'b.sh']]));
    expect(contentRenames(ref, work, ['a.sh'], ['c.sh'], kind, new Map()).size).toBe(0);
    // already paired by git
    expect(contentRenames(ref, work, ['a.sh'], ['b.sh'], kind, new Map([['a.sh', 'z.sh']])).size).toBe(0);
  });

  it('similarity is the share of common lines', () => {
    expect(similarity('a\nb\n', 'a\nb\n')).toBe(1);
    expect(similarity('a\nb\n', 'c\nd\n')).toBe(0);
    expect(similarity('a\nb\n', 'a\nc\n')).toBe(0.5);
  });
});

describe('an entry whose runtime or runtime version changed: each side is read by its own', () => {
  async function diffOf(before: Record<string, string>, after: Record<string, string>) {
    const side = async (files: Record<string, string>) => buildInventory((await lint(memoryFs(files))).model);
    return diffInventories('HEAD', await side(before), await side(after), new Map());
  }
  const kindsOf = (list: { kinds: Record<string, unknown> }[]) => list.map((e) => Object.keys(e.kinds).sort());

  it('node → deno with the same glob: Node reads `/srv/*` as everything under /srv, Deno as the one name (narrowed; the reverse widens)', async () => {
    const node = { 'run.sh': 'node --permission --allow-fs-read=/srv/* /srv/app.js\n', '.nvmrc': '24.22.3\n' };
    const deno = { 'run.sh': 'deno run --allow-read=/srv/* /srv/app.js\n', '.nvmrc': '24.22.3\n' };
    const toDeno = await diffOf(node, deno);
    // (Deno loads its entry module without a read grant; Node 24's implicit read of it is a read grant)
    expect(toDeno.narrowed.map((e) => e.kinds.read?.lost)).toEqual([['/srv/*', '/srv/app.js']]);
    expect(toDeno.widened.map((e) => e.kinds.read)).toEqual([]);
    const toNode = await diffOf(deno, node);
    expect(toNode.widened.map((e) => e.kinds.read?.gained)).toEqual([['/srv/*', '/srv/app.js']]);
    // Deno has no worker, wasi or inspector permission: those kinds are not compared across runtimes
    expect(toNode.widened.flatMap((e) => Object.keys(e.kinds)).filter((k) => ['worker', 'wasi', 'inspector'].includes(k))).toEqual([]);
  });

  it('node --allow-net=x (not gated before Node 25) → deno run --allow-net=x narrows the network to x', async () => {
    const d = await diffOf({ 'run.sh': 'node --permission --allow-fs-read=* app.js\n', '.nvmrc': '24.22.3\n' }, { 'run.sh': 'deno run --allow-read --allow-net=x.example app.js\n' });
    expect(d.narrowed.map((e) => e.kinds.net)).toEqual([{ before: 'all', after: ['x.example'], lost: 'all' }]);
    expect(kindsOf(d.widened)).toEqual([]);
  });

  it('a Node pin moving from 24 to 25 gates the network: narrowed; back to 24 widens it', async () => {
    const script = { 'run.sh': 'node --permission --allow-fs-read=* app.js\n' };
    const up = await diffOf({ ...script, '.nvmrc': '24.22.3\n' }, { ...script, '.nvmrc': '25.2.1\n' });
    expect(up.narrowed.map((e) => e.kinds.net)).toEqual([{ before: 'all', after: 'none', lost: 'all' }]);
    expect(up.widened).toEqual([]);
    const down = await diffOf({ ...script, '.nvmrc': '25.2.1\n' }, { ...script, '.nvmrc': '24.22.3\n' });
    expect(down.widened.map((e) => e.kinds.net)).toEqual([{ before: 'none', after: 'all', gained: 'all' }]);
    expect(diffExitCode(down)).toBe(1);
  });
});
