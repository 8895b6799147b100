/**
 * A job read ahead that the parser thread has not begun when the scan reaches its file is taken
 * back (src/scan-ahead.ts `AheadJob.claim`): the scan reads the file itself and the thread, when
 * it comes to the job, answers without reading it; a job the thread has begun is waited for. The
 * thread is played here by the thread's own job function, run in this process when the test says
 * so, so that which side comes first is decided by the test, not by timing.
 */
import { describe, expect, it } from 'vitest';
import { ScanAhead, scanAheadCounts, threadJob, type AheadAnswer, type AheadJob, type AheadPoster } from '../../src/scan-ahead.js';
import { resolverOfSnapshot } from '../../src/set-resolver.js';
import type { ContextKind } from '../../src/model.js';

const WORKFLOW = `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n${'      - run: deno run --allow-net=api.example.com main.ts\n'.repeat(400)}`;
const FILE = { path: '.github/workflows/ci.yml', kind: 'github-actions', text: WORKFLOW };
const CTX = { resolverFor: resolverOfSnapshot({ folders: [], declarations: [] }), contextFor: (_file: string, natural: ContextKind) => natural };

/** A thread that begins a job only when `begin` is called (in this process). */
function heldThread(): { poster: AheadPoster; jobs: AheadJob[]; begin: (i: number) => Promise<void> } {
  const run = threadJob();
  const jobs: AheadJob[] = [];
  const answers: ((a: { result: AheadAnswer }) => void)[] = [];
  return {
    poster: {
      coming: () => true,
      post: (job) =>
        new Promise((resolve) => {
          jobs.push(job);
          answers.push(resolve);
        }),
    },
    jobs,
    // (the job claims itself synchronously, before its first await, as in the thread)
    begin: async (i) => answers[i]!({ result: await run(jobs[i]!) }),
  };
}

const counts = () => ({ ...scanAheadCounts });

describe('a job read ahead, taken back when the thread has not begun it', () => {
  it('is read by the scan when the thread has not begun it; the thread then answers without reading it', async () => {
    const t = heldThread();
    const ahead = new ScanAhead(t.poster, 16 * 1024, 128 * 1024);
    expect(WORKFLOW.length).toBeGreaterThan(16 * 1024);
    ahead.onFile(FILE);
    expect(t.jobs).toHaveLength(1);
    const at = counts();
    expect(ahead.take(FILE.path, CTX)).toBeUndefined();
    expect(scanAheadCounts.takenBack - at.takenBack).toBe(1);
    // the thread comes to it after: it does not read the file
    const run = threadJob();
    await expect(run(t.jobs[0]!)).resolves.toEqual({ refused: 'taken back by the scan' });
    // asked once only: a second look at the same path has nothing to take
    expect(ahead.take(FILE.path, CTX)).toBeUndefined();
  });

  it('is waited for when the thread has begun it, and gives the thread\'s facts', async () => {
    const t = heldThread();
    const ahead = new ScanAhead(t.poster, 16 * 1024, 128 * 1024);
    ahead.onFile(FILE);
    const begun = t.begin(0);
    const at = counts();
    const taken = ahead.take(FILE.path, CTX);
    expect(taken).toBeInstanceOf(Promise);
    await begun;
    const model = await taken;
    expect(scanAheadCounts.taken - at.taken).toBe(1);
    expect(scanAheadCounts.takenBack - at.takenBack).toBe(0);
    expect(model?.invocations).toHaveLength(400);
    expect(model?.invocations[0]?.origin.file).toBe(FILE.path);
    expect(model?.invocations[0]?.command.span).toMatchObject({ line: 6, column: 14 });
  });

  it('is never taken back when the session waits for every job (PERMLINT_READ_AHEAD=all)', async () => {
    const t = heldThread();
    const ahead = new ScanAhead(t.poster, 0, 0, false);
    ahead.onFile(FILE);
    expect(t.jobs[0]!.claim).toBeUndefined();
    const at = counts();
    const taken = ahead.take(FILE.path, CTX);
    expect(taken).toBeInstanceOf(Promise);
    await t.begin(0);
    expect((await taken)?.invocations).toHaveLength(400);
    expect(scanAheadCounts.takenBack - at.takenBack).toBe(0);
  });

  it('sends nothing when the file is short, or long but not enough to start a thread that is not coming', () => {
    const t = heldThread();
    const idle = { ...t.poster, coming: () => false };
    new ScanAhead(t.poster, 16 * 1024, 128 * 1024).onFile({ ...FILE, text: 'on: push\n' });
    new ScanAhead(idle, 16 * 1024, 128 * 1024).onFile(FILE);
    expect(t.jobs).toHaveLength(0);
    new ScanAhead(idle, 16 * 1024, 16 * 1024).onFile(FILE);
    expect(t.jobs).toHaveLength(1);
  });
});
