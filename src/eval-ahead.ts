/**
 * `deno eval` codes asked of the parser thread while the scan still runs (./eval-code.ts reads them
 * after the link phase): the thread has room then, and the main thread no longer waits for the
 * round trip after the scan (denoland/deno: ~15–20 ms). An answer depends only on the code and its
 * `--ext`, so one asked early is the answer the late read would get; the late read asks the
 * thread only for the codes not asked here (the link phase can add candidates or change an
 * entrypoint), and an answer that fails here is asked again there.
 *
 * Only while the parser thread is already running (a folder walk with TypeScript candidates): a
 * guess never starts it. Its own module, light (no section G reader), for lint.ts to load early.
 */
import type { Invocation, Model } from './model.js';
import { parserThreadStarted, runInThread, threadModule } from './sources/typescript/parser.js';

/** Flags of `deno eval` that load or expose code beyond the evaluated string. */
const LOADS_CODE = /^--(?:preload|require|import|inspect(?:-brk|-wait)?)$/;
/** The longest eval code read (a greeting or a one-liner; anything longer stays reported). */
export const MAX_EVAL_CODE = 4096;

/** A code and its `--ext`, as the reader takes them. */
export type EvalCode = readonly [code: string, ext: string | undefined];

/** Whether an invocation is a `deno eval` of code known statically, which ./eval-code.ts reads. */
export function isEvalCandidate(inv: Invocation): boolean {
  return (
    inv.runtime === 'deno' &&
    inv.subcommand === 'eval' &&
    !!inv.implicitAll &&
    !!inv.entrypoint &&
    !inv.entrypoint.dynamic &&
    inv.unresolved.length === 0 &&
    inv.entrypoint.value.length <= MAX_EVAL_CODE &&
    !inv.flags.some((f) => LOADS_CODE.test(f.name))
  );
}

/** The code a candidate evaluates, with its `--ext`. */
export function evalCodeOf(inv: Invocation): EvalCode {
  return [inv.entrypoint!.value, inv.flags.find((f) => f.name === '--ext')?.value] as const;
}

const keyOf = ([code, ext]: EvalCode) => `${ext ?? ''}\0${code}`;

/** Codes asked ahead, and answers ./eval-code.ts took from them, in this process (tests). */
export const evalAheadCounts = { asked: 0, used: 0 };

/** The codes asked while the scan runs (see the module's comment). */
export class EvalAhead {
  private readonly asked = new Map<string, Promise<boolean | undefined>>();
  /** Invocations of the model already looked at. */
  private seen = 0;

  private constructor(private readonly module: string) {}

  /** A session when the parser thread runs and its compiled module can read eval code; else undefined. */
  static start(): EvalAhead | undefined {
    const module = threadModule('./infer/thread.js', import.meta.url);
    return module !== undefined && parserThreadStarted() ? new EvalAhead(module) : undefined;
  }

  /** Asks the thread (one low-priority job) for the codes of the candidates added since the last call. */
  see(model: Model): void {
    const fresh: EvalCode[] = [];
    for (; this.seen < model.invocations.length; this.seen++) {
      const inv = model.invocations[this.seen]!;
      if (!isEvalCandidate(inv)) continue;
      const code = evalCodeOf(inv);
      if (this.asked.has(keyOf(code)) || fresh.some((c) => keyOf(c) === keyOf(code))) continue;
      fresh.push(code);
    }
    if (!fresh.length) return;
    evalAheadCounts.asked += fresh.length;
    const batch = runInThread<boolean[]>(this.module, { eval: fresh }, { tag: undefined });
    fresh.forEach((code, i) => this.asked.set(keyOf(code), batch.then((r) => ('result' in r && r.result.length === fresh.length ? r.result[i] : undefined))));
  }

  /** The answer asked for this code, when it was asked and did not fail. */
  async answer(code: EvalCode): Promise<boolean | undefined> {
    return this.asked.get(keyOf(code));
  }
}
