import type { Model } from '../../model.js';

/** Up to this many facts of one kind are dropped one by one; more, in one pass over the model's list. */
const FEW = 8;

/**
 * Swap what a construct added to the model last time for what it adds now (a file's constructs
 * are analysed again when a module it imports turns out to re-export an API).
 */
export function replace(model: Model, prev: Model | undefined, next: Model): void {
  if (prev) {
    const drop = <T>(arr: T[], gone: T[]) => {
      if (gone.length === 0) return;
      if (gone.length > FEW) {
        const set = new Set(gone);
        let w = 0;
        for (let i = 0; i < arr.length; i++) if (!set.has(arr[i]!)) arr[w++] = arr[i]!;
        arr.length = w;
        return;
      }
      // a construct adds a fact or two: each found by the engine's own search, from the end (where
      // the latest constructs' facts are), instead of a look-up in a set for every fact of the model
      for (let k = 0; k < gone.length; k++) {
        const x = gone[k]!;
        for (let i = arr.lastIndexOf(x); i >= 0; i = i > 0 ? arr.lastIndexOf(x, i - 1) : -1) arr.splice(i, 1);
      }
    };
    drop(model.declarations, prev.declarations);
    drop(model.invocations, prev.invocations);
    drop(model.commands, prev.commands);
    drop(model.env, prev.env);
    drop(model.unresolved, prev.unresolved);
    drop(model.problems, prev.problems);
  }
  model.declarations.push(...next.declarations);
  model.invocations.push(...next.invocations);
  model.commands.push(...next.commands);
  model.env.push(...next.env);
  model.unresolved.push(...next.unresolved);
  model.problems.push(...next.problems);
}
