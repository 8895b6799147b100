/**
 * `deno eval <code>` runs with every permission whatever its flags (Deno 2.9.6:
 * `deno eval --allow-read=/tmp "Deno.readTextFileSync('/etc/hostname')"` reads it). When the code
 * is written out in full in the repository and uses nothing a permission guards — no Deno API
 * that needs one, no `fetch`, no import, no `eval` — the grant reaches nothing: a base image's
 * `deno eval "console.log('Welcome to Deno!')"` greeting. This pass reads such code with the
 * section G reader (src/infer: the same API table as over-grant/under-grant) and records the
 * fact on the invocation (`implicitAll.codeNeedsNothing`); rules decide what it means.
 *
 * Conservative: code with an unresolved word, a flag that loads or exposes other code
 * (`--preload`, `--require`, `--inspect*`), a parse error, any import, any need or any limit of
 * the reader, or a name that reaches the global object indirectly (`globalThis[…]`, `Reflect`,
 * `Function`) keeps the finding.
 */
import type { Invocation, Model } from './model.js';
import { GraphBuilder, type ParseModule } from './infer/graph.js';
import { runInThread, threadModule } from './sources/typescript/parser.js';
import { filesFs } from './infer/fs.js';
import { walk } from './infer/analyze.js';
import { evalAheadCounts, evalCodeOf, isEvalCandidate, type EvalAhead } from './eval-ahead.js';

/** Names through which code can reach the global object, or run strings, without the reader seeing an API. */
const INDIRECT = new Set(['globalThis', 'window', 'self', 'global', 'Reflect', 'Function', 'eval', 'Deno']);

/** The invocations this pass reads: `deno eval` of code known statically (./eval-ahead.ts). */
export function evalCandidates(model: Model): Invocation[] {
  return model.invocations.filter(isEvalCandidate);
}

/** Whether `code` uses no permission, as far as the section G reader and the guards above see. */
export async function codeNeedsNothing(code: string, ext = 'ts', parse?: ParseModule): Promise<boolean> {
  const path = `$deno-eval.${/^(?:ts|tsx|js|jsx)$/.test(ext) ? ext : 'ts'}`;
  let graph;
  try {
    graph = await new GraphBuilder(filesFs({ [path]: code }), 'deno', parse).build(path);
  } catch {
    return false;
  }
  if (!graph || graph.needs.length || graph.limits.length || graph.externals.length || graph.modules.size !== 1) return false;
  const facts = graph.modules.get(path)!;
  if (facts.imports.length || facts.dynamicImports.length) return false;
  let indirect = false;
  walk(facts.program as never, (node) => {
    if (indirect) return false;
    if ((node.type === 'Identifier' || node.type === 'IdentifierReference') && INDIRECT.has(node.name)) {
      // `Deno.version`, `Deno.args`, `Deno.pid`: properties the reader classed as needing nothing are
      // still the Deno object; only a member read with a static name (checked by the reader) is safe
      indirect = node.name !== 'Deno';
    }
    if (node.type === 'MemberExpression' && node.computed && node.object?.type === 'Identifier' && node.object.name === 'Deno') indirect = true;
    if (node.type === 'ImportExpression' || node.type === 'ImportDeclaration') indirect = true;
    return undefined;
  });
  return !indirect;
}

/** Whether each code (with its `--ext`) needs nothing, in order: read here, one after the other. */
export async function codesNeedNothing(codes: readonly (readonly [code: string, ext: string | undefined])[], parse?: ParseModule): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const [code, ext] of codes) out.push(await codeNeedsNothing(code, ext, parse));
  return out;
}

/**
 * Record on each candidate whether its code needs nothing (rules read `implicitAll.codeNeedsNothing`).
 * Read in the parser thread with section G's graphs (src/infer/thread.ts) when this module is
 * compiled JavaScript, so that this thread builds no syntax tree of them; PERMLINT_TS_THREAD=0 or
 * a thread that cannot run it: here, with the same code. `ahead`: the codes asked while the scan
 * ran (./eval-ahead.ts); only the others are asked here.
 */
export async function readEvalCode(model: Model, ahead?: EvalAhead): Promise<void> {
  const cands = evalCandidates(model);
  if (cands.length === 0) return;
  const codes = cands.map(evalCodeOf);
  const answers: (boolean | undefined)[] = ahead ? await Promise.all(codes.map((c) => ahead.answer(c))) : codes.map(() => undefined);
  const rest = codes.flatMap((_, i) => (answers[i] === undefined ? [i] : []));
  evalAheadCounts.used += codes.length - rest.length;
  if (rest.length) {
    const asked = rest.map((i) => codes[i]!);
    let got: boolean[] | undefined;
    const module = threadModule('./infer/thread.js', import.meta.url);
    if (module !== undefined) {
      const r = await runInThread<boolean[]>(module, { eval: asked });
      if ('result' in r && r.result.length === asked.length) got = r.result;
    }
    got ??= await codesNeedNothing(asked);
    rest.forEach((i, j) => (answers[i] = got[j]));
  }
  cands.forEach((inv, i) => {
    if (answers[i]) inv.implicitAll = { ...inv.implicitAll!, codeNeedsNothing: true };
  });
}
