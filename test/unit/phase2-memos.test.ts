/**
 * Answers the main thread's phase 2 and the rules now keep instead of computing again
 * (docs/performance.md, eighth session): the same answers as computed each time.
 */
import { posix } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { emptyModel, type Declaration, type Invocation, type Model } from '../../src/model.js';
import { workerParents } from '../../src/rule-util.js';
import { isDeno1 } from '../../src/grammar/deno.js';

/** workerParents as it was: every invocation asked for each declaration. */
function reference(model: Model, d: Declaration): Invocation[] {
  return model.invocations.filter((inv) => {
    if (inv.runtime !== 'deno' || !inv.entrypoint || inv.entrypoint.dynamic || !inv.takesPermissions) return false;
    const v = inv.entrypoint.value.replace(/^file:\/\//, '');
    if (/^[a-z][a-z0-9+.-]*:/i.test(v)) return false;
    const path = posix.normalize(v.startsWith('/') ? v.slice(1) : posix.join(inv.context.cwd ?? '', v));
    return path === d.origin.file;
  });
}

const inv = (id: string, entry: string | undefined, more: Partial<Invocation> & { cwd?: string } = {}): Invocation => {
  const { cwd, ...rest } = more;
  return {
    id,
    runtime: 'deno',
    takesPermissions: true,
    context: { kind: 'development', ...(cwd !== undefined ? { cwd } : {}) },
    ...(entry !== undefined ? { entrypoint: { value: entry, span: { file: 'deno.json', line: 1, column: 1, endLine: 1, endColumn: 2 } } } : {}),
    ...rest,
  } as unknown as Invocation;
};
const decl = (file: string): Declaration => ({ origin: { file } }) as unknown as Declaration;

describe('workerParents', () => {
  const model = emptyModel();
  model.invocations.push(
    inv('a', 'worker.ts'),
    inv('b', './sub/../worker.ts'),
    inv('c', 'worker.ts', { cwd: 'sub' }),
    inv('d', 'file:///worker.ts'),
    inv('e', '/sub/worker.ts'),
    inv('f', 'https://example.com/worker.ts'),
    inv('g', 'worker.ts', { runtime: 'node' } as Partial<Invocation>),
    inv('h', 'worker.ts', { takesPermissions: false }),
    inv('i', undefined),
    inv('j', 'npm:worker'),
  );
  (model.invocations[9]!.entrypoint as { dynamic?: unknown }).dynamic = [{ kind: 'variable', of: 'shell', name: 'X' }];
  const files = ['worker.ts', 'sub/worker.ts', 'example.com/worker.ts', 'none.ts'];

  it('gives what asking every invocation gives, in model order', () => {
    for (const f of files) expect(workerParents(model, decl(f)).map((i) => i.id)).toEqual(reference(model, decl(f)).map((i) => i.id));
    expect(workerParents(model, decl('worker.ts')).map((i) => i.id)).toEqual(['a', 'b', 'd']);
    expect(workerParents(model, decl('sub/worker.ts')).map((i) => i.id)).toEqual(['c', 'e']);
  });

  it('sees invocations added after it was asked, and its answer is the caller\'s to change', () => {
    workerParents(model, decl('worker.ts')).pop();
    model.invocations.push(inv('k', 'worker.ts'));
    for (const f of files) expect(workerParents(model, decl(f)).map((i) => i.id)).toEqual(reference(model, decl(f)).map((i) => i.id));
    expect(workerParents(model, decl('worker.ts')).map((i) => i.id)).toEqual(['a', 'b', 'd', 'k']);
  });
});

describe('isDeno1', () => {
  it('answers the same when asked again', () => {
    const versions = ['1.46.3', 'v1.x', '^1.40', '~1.45.0', '2.0.0', '>=1.0.0', '1.x || 2.x', 'v2.x', 'canary', 'garbage', '1', ''];
    const expected = versions.map((v) => {
      if (!v) return false;
      const range = semver.validRange(v) ?? semver.coerce(v)?.version;
      return !!range && semver.subset(range, '<2.0.0', { includePrerelease: false });
    });
    for (let round = 0; round < 3; round++) expect(versions.map((v) => isDeno1(v))).toEqual(expected);
    expect(isDeno1('1.46.3')).toBe(true);
    expect(isDeno1('2.0.0')).toBe(false);
    expect(isDeno1(undefined)).toBe(false);
  });
});
