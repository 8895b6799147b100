/**
 * The V8 settings of a CLI run: the size of the young generation, when TurboFan optimises,
 * Irregexp's bytecode left unoptimised, and scavenges on the thread that needs them.
 *
 * V8 starts a heap's new space at two 1 MiB semi-spaces and doubles them, up to 16 MiB each (a
 * 64-bit Node 20), whenever the bytes that survived scavenges since the last growth exceed their
 * size. A scan keeps tens of MB alive (the model, the files read, module code) and so reaches the
 * maximum early: 32 MiB of the main isolate's ~75 MiB heap is new space, though a file's garbage
 * (yaml's CST, a parse's tokens) is dead long before 16 MiB of it is allocated. On
 * denoland/deno that was the last ~10 MB of peak RSS over the 200 MB target.
 *
 * `--max-semi-space-size` is read only when an isolate is made, so the CLI cannot set it for
 * itself (and a flag in the shebang is lost under `node bin/permlint.js` or npm's shims), but
 * `--semi-space-growth-factor` is read at each growth: set to 1, the semi-spaces never grow past
 * the size they have (1 MiB for the main isolate once the bundled CLI is loaded, 1 MiB for the
 * parser thread; V8 may still halve them when allocation slows).
 *
 * What was measured of it (seventh session, docs/performance.md "This session (seventh): garbage
 * collection and what survives"):
 * - V8's flags are the process's, not an isolate's: the growth factor set here holds for the
 *   parser thread too, and a worker's start sets it back to 2 (V8 raises a value below 2 when it
 *   configures the new isolate's heap; the eighth session found that the other flags stay), so
 *   the flags are set again once the thread has compiled (see "When the flags are set" below).
 *   Until they are, the main isolate may grow: on deno it ended
 *   some runs at 1 MiB, others at 2 or 4. The two isolates cannot be given different growth factors; a thread can be
 *   given its own fixed size by setting `--min-semi-space-size` before the Worker is made and
 *   `resourceLimits.maxYoungGenerationSizeMb` to three times it (the new large-object space
 *   counts once more; 8 MB gives 4 MiB semi-spaces). `--single-threaded-gc` set at run time
 *   aborts V8 (a cppgc check); `--no-parallel-scavenge` works (see below).
 * - Each MiB of semi-space costs ~2 MB of peak RSS per isolate (both semi-spaces are touched):
 *   deno 160 MB as is, 172 with the thread at 4 MiB, 187 with the main isolate at 16, 200 with
 *   both free. The survivors hardly change with the size: deno's main isolate promotes 34–39 MB
 *   and copies 29–33 MB at any size from 1 to 16 MiB (147 scavenges at 1 MiB, 20 at 16), the
 *   thread promotes 41 MB at 1 MiB (138 scavenges), 32 at 2–4, 25 at 8 (13): what survives a
 *   1 MiB scavenge mostly lives on (the model, the texts held), so a larger space saves the
 *   scavenges' fixed costs, not the copying.
 * - CPU per run could not be told apart at loads 8–20 (deno and std, 3–7 alternating runs per
 *   setting: the ranges overlap; std 2.26 s kept against 2.37 s with the thread at 4 MiB and 2.45
 *   at 8). The session start's figures at idle (both isolates free: −0.5 to −0.8 s CPU, 204 MB)
 *   are the only sign of a gain; not kept until measured at idle.
 *
 * The interrupt budget (eighth session, docs/performance.md "This session (eighth): V8's
 * optimising compiler"): V8 counts a function's executed bytecode against a budget (66 KiB by
 * default in Node 20's V8 11.3) and, when it runs out, asks TurboFan to optimise the function on
 * a background thread. A lint run lasts 0.2–5 s on two cores already held by its two JavaScript
 * threads, so that background compiling competed with the critical path and mostly optimised
 * code that had finished running by the time it was ready: `--no-opt` alone made a deno scan
 * ~15 % faster (wall) and ~23 % cheaper (CPU), but ~4 % slower on the 50,000-file tree. A budget
 * 16 times V8's still optimises what runs long (the scan loop of a large tree) and was the best
 * measured everywhere (deno, std, mix-50k, pre-commit); the figures are in docs/performance.md.
 *
 * Irregexp's bytecode peephole optimizer (eleventh session, docs/performance.md "This session
 * (eleventh): V8's tiers and page faults"): V8 compiles a regular expression to bytecode at its
 * first match, optimises that bytecode, and compiles it to native code at its second match
 * (`--regexp-tier-up-ticks=1`; global regexps in `replace`/`matchAll` and long subjects go native
 * at once). The optimised bytecode thus runs once, if at all, while the optimizer (its tables are
 * std::map) cost ~1.5 % of the main thread's instructions on denoland/std and ~115 page faults;
 * `--no-regexp-peephole-optimization` leaves the bytecode as generated (the same matches).
 * `--no-regexp-tier-up` and `--regexp-interpret-all` set at run time crash V8 11.3 (signal 11):
 * never set them here. Sparkplug (V8's baseline compiler) stays on: without it the interpreter
 * runs the warm code: 7.5 % more instructions on std, for 480–700 fewer page faults a run.
 *
 * Scavenges on one thread (twelfth session, docs/performance.md "This session (twelfth): scavenges
 * on one thread"): V8 splits each scavenge into tasks for its platform's worker threads (4 in Node),
 * which on two cores already held by the two JavaScript threads take the other thread's core.
 * `--no-parallel-scavenge` (read at each scavenge) made a deno scan ~4 % faster and cheaper in CPU
 * (three series of 6-10 alternating runs) and the 50,000-file tree ~6.5 %; std and a pre-commit run
 * the same within their noise. The flag changes no result, only who copies the survivors.
 *
 * When the flags are set (eighth session, docs/performance.md "This session (eighth): pre-commit
 * runs and code caches"): V8 checks every code cache it is offered against a hash of the flags
 * that differ from V8's defaults, and rejects it when they differ from the flags it was made under.
 * Three kinds of cache are compiled during a run: the CLI's bundle (bin/permlint.js, at start),
 * the parser thread's bundle (at the thread's start), and Node's own built-in modules, which a
 * worker's bootstrap compiles from caches made with V8's defaults (~107 modules; with the
 * budget raised, all of them compiled from source). Both bundles'
 * caches are made with V8's defaults too (scripts/bundle.mjs changes no flag). So the flags are
 * V8's defaults whenever one of those compiles may run, and the CLI's while none can:
 * - `holds`: a count, shared by every copy of this module in the process and by the parser
 *   threads (a SharedArrayBuffer), of what has yet to compile: the CLI itself until
 *   `tuneV8ForCli()` (bin/permlint.js, after the CLI's bundle is compiled), and each thread from
 *   before its Worker is made until it has compiled and run its bundle (`holdV8Flags`; the
 *   thread releases its hold itself, or this thread does when it ends first);
 * - whoever takes the count to 0 sets the CLI's flags, whoever raises it from 0 sets V8's
 *   defaults again (before the Worker is made), under a lock in the same memory.
 * A worker's start also sets `--semi-space-growth-factor` back to V8's 2 (V8 raises any value
 * below 2 when it configures an isolate's heap): the flags are set again after it, as before.
 * The effect: the main thread runs with V8's defaults while the parser thread starts (~50-100 ms,
 * early in a run), not from the CLI's compile on; both flags hold after (test/perf/young-generation).
 */
import { setFlagsFromString } from 'node:v8';

/**
 * V8's interrupt budget for the CLI: 16 times Node 20's default (67,584 bytes of bytecode), so
 * TurboFan optimises only what runs long (see above).
 */
export const CLI_INTERRUPT_BUDGET = 16 * 67_584;

/** The V8 flags the CLI runs with, for a thread to set again (see above). */
export const CLI_V8_FLAGS = `--semi-space-growth-factor=1 --interrupt-budget=${CLI_INTERRUPT_BUDGET} --no-regexp-peephole-optimization --no-parallel-scavenge`;

/**
 * V8's own values of the same flags (Node 20's V8 11.3): a flag set to its default value counts as
 * not set in the hash code caches are checked against (test/e2e/cli-bundle-code-cache.test.ts:
 * a parser thread started while they are set still has its cache taken).
 */
export const V8_DEFAULT_FLAGS = '--semi-space-growth-factor=2 --interrupt-budget=67584 --regexp-peephole-optimization --parallel-scavenge';

/** What a starting thread holds (see above): the shared count and lock, its own released bit, the flags it sets last. */
export interface V8FlagsHold {
  /** [holds, lock, the CLI released]: one per process (globalThis), shared with the threads */
  gate: Int32Array;
  /** [released]: this hold's own */
  mine: Int32Array;
  flags: string;
}

const GATE = Symbol.for('permlint.v8FlagsGate');
/** How many times a lock is tried before it is taken anyway (see `locked`): milliseconds. */
const LOCK_SPINS = 1_000_000;

function gate(): Int32Array {
  const g = globalThis as { [GATE]?: Int32Array };
  if (!g[GATE]) {
    g[GATE] = new Int32Array(new SharedArrayBuffer(12));
    // the CLI's own hold, until tuneV8ForCli
    g[GATE][0] = 1;
  }
  return g[GATE];
}

/**
 * Runs `f` under the gate's lock (a spin lock: held only to change the count and the flags,
 * microseconds). A thread terminated while it held the lock (no `finally` runs then) would keep it
 * forever: after LOCK_SPINS tries it is taken anyway (at worst a flag set out of turn, which only
 * costs a code cache).
 */
function locked(g: Int32Array, f: () => void): void {
  for (let i = 0; Atomics.compareExchange(g, 1, 0, 1) !== 0 && i < LOCK_SPINS; i++);
  try {
    f();
  } finally {
    Atomics.store(g, 1, 0);
  }
}

/** One hold less: the last one sets the CLI's flags. */
function release(g: Int32Array, flags: string): void {
  locked(g, () => {
    if (Atomics.sub(g, 0, 1) === 1) setFlagsFromString(flags);
  });
}

/**
 * Before a thread's Worker is made: V8's defaults again if the CLI's flags are set, until the
 * thread (or `releaseV8Flags`) releases the hold. Pass the hold in the thread's `workerData`.
 */
export function holdV8Flags(): V8FlagsHold {
  const g = gate();
  locked(g, () => {
    if (Atomics.add(g, 0, 1) === 0) setFlagsFromString(V8_DEFAULT_FLAGS);
  });
  return { gate: g, mine: new Int32Array(new SharedArrayBuffer(4)), flags: CLI_V8_FLAGS };
}

/** Releases a thread's hold when the thread has not (it could not start, or ended first); once per hold. */
export function releaseV8Flags(hold: V8FlagsHold): void {
  if (Atomics.compareExchange(hold.mine, 0, 0, 1) === 0) release(hold.gate, hold.flags);
}

let tuned = false;

/**
 * Keeps the young generation of this process's isolates at the size it has and raises V8's
 * interrupt budget: once the CLI's code is compiled and no thread is starting (see above). Once
 * per process, for bin/permlint.js, not the library or main().
 */
export function tuneV8ForCli(): void {
  if (tuned) return;
  tuned = true;
  const g = gate();
  if (Atomics.compareExchange(g, 2, 0, 1) === 0) release(g, CLI_V8_FLAGS);
}

/** Whether `tuneV8ForCli` was called. */
export function v8TunedForCli(): boolean {
  return tuned;
}
