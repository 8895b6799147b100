import type { Model } from '../../model.js';

/**
 * Swap what a construct added to the model last time for what it adds now (a file's constructs
 * are analysed again when a module it imports turns out to re-export an API).
 */
export function replace(model: Model, prev: Model | undefined, next: Model): void {
  if (prev) {
    const drop = <T>(arr: T[], gone: T[]) => {
      if (gone.length === 0) return;
      const set = new Set(gone);
      for (let i = arr.length - 1; i >= 0; i--) if (set.has(arr[i]!)) arr.splice(i, 1);
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
