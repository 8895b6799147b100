/**
 * `replace` (src/sources/typescript/replace.ts), which swaps what a construct added to the model
 * for what it adds on its next run, against the plain definition: every fact of the last run
 * leaves the model's lists wherever it is (the rest keep their order), then the new facts are
 * appended. Generated models: a construct's few facts (dropped one by one) and many (one pass),
 * facts anywhere in the lists, a run whose facts are the last run's own (a file run again).
 */
import { describe, expect, it } from 'vitest';
import { replace } from '../../src/sources/typescript/replace.js';
import { emptyModel, type Model } from '../../src/model.js';
import { rng } from '../helpers.js';

const LISTS = ['declarations', 'invocations', 'commands', 'env', 'unresolved', 'problems'] as const;

/** The definition: each list without the last run's facts, then the new ones. */
function reference(model: Model, prev: Model | undefined, next: Model): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const k of LISTS) {
    const gone = new Set<unknown>(prev ? prev[k] : []);
    out[k] = [...(model[k] as unknown[]).filter((x) => !gone.has(x)), ...(next[k] as unknown[])];
  }
  return out;
}

describe('replace', () => {
  it('drops the last run’s facts wherever they are and appends the new ones, in order', () => {
    const r = rng(7);
    for (let n = 0; n < 400; n++) {
      const model = emptyModel();
      const prev = emptyModel();
      const next = emptyModel();
      for (const k of LISTS) {
        const list = model[k] as unknown[];
        const size = Math.floor(r() * 60);
        for (let i = 0; i < size; i++) list.push({ k, i });
        // the last run's facts: none, a few (one by one) or many (one pass), anywhere in the list
        const few = r() < 0.6;
        const count = list.length === 0 ? 0 : few ? Math.floor(r() * 4) : Math.floor(r() * list.length);
        const gone = new Set<number>();
        while (gone.size < Math.min(count, list.length)) gone.add(Math.floor(r() * list.length));
        (prev[k] as unknown[]).push(...[...gone].map((i) => list[i]));
        const fresh = Math.floor(r() * 4);
        for (let i = 0; i < fresh; i++) (next[k] as unknown[]).push({ k, fresh: i });
      }
      // a file run again puts the same facts back (`again` in ./analyze.ts)
      const same = r() < 0.2;
      const want = reference(model, prev, same ? prev : next);
      replace(model, prev, same ? prev : next);
      for (const k of LISTS) expect([n, k, model[k]]).toEqual([n, k, want[k]]);
    }
  });

  it('with no last run only appends', () => {
    const model = emptyModel();
    const a = { a: 1 };
    model.commands.push(a as never);
    const next = emptyModel();
    const b = { b: 1 };
    next.commands.push(b as never);
    replace(model, undefined, next);
    expect(model.commands).toEqual([a, b]);
  });
});
