/**
 * The size of V8's young generation in a CLI run.
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
 * the size they have (2 MiB for the main isolate once the CLI is loaded, 1 MiB for the parser
 * thread; V8 may still halve them when allocation slows).
 * A worker thread's start sets V8's flags back to the process's own, so the parser thread sets
 * it again first thing (`YOUNG_GENERATION_FLAG`, when `youngGenerationKeptSmall()`). More
 * scavenges, each of a smaller space; CPU per thread unchanged as measured (docs/performance.md,
 * "This session (fifth): memory and discovery").
 */
import { setFlagsFromString } from 'node:v8';

/** The V8 flag, for a thread to set again (see above). */
export const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

let kept = false;

/** Stops the young generation of this process's isolates from growing. Once per process; for bin/permlint.js, not the library or main(). */
export function keepYoungGenerationSmall(): void {
  if (kept) return;
  kept = true;
  setFlagsFromString(YOUNG_GENERATION_FLAG);
}

/** Whether `keepYoungGenerationSmall` was called (a thread started later must set the flag again). */
export function youngGenerationKeptSmall(): boolean {
  return kept;
}
