/**
 * Long YAML files read in the parser thread while discovery walks (src/scan-ahead.ts) against the
 * same scan reading every file itself (PERMLINT_READ_AHEAD=0): the model and the findings must be
 * identical, and the facts the thread read must be taken only when the scan's `-P` sets, the
 * config's contexts and the other files the source would ask for cannot change them.
 *
 * The thread loads the compiled library, so this test runs it (`dist/`, built by `npm test` before
 * vitest), with PERMLINT_READ_AHEAD=all: every file of a kind read ahead, whatever its length; in
 * the default persona (section G, which would take the thread, is left for later there).
 */
import { afterAll, describe, expect, it } from 'vitest';

/* eslint-disable @typescript-eslint/no-explicit-any -- the compiled modules are untyped here */
const dist = (m: string) => import(/* @vite-ignore */ new URL(`../../dist/${m}`, import.meta.url).href) as Promise<any>;

const workflow = (run: string) => `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n`;

const FILES: Record<string, string> = {
  // a candidate of the TypeScript analysis: the walk starts the parser thread
  'src/spawn.ts': 'new Deno.Command("deno", { args: ["run", "-A", "main.ts"] });\n',
  'deno.json': JSON.stringify({ tasks: { dev: 'deno run -P main.ts' }, permissions: { net: { net: true }, default: { read: true } } }),
  'tools/deno.json': JSON.stringify({ permissions: { io: { read: ['./data'] } } }),
  // no set looked up: taken
  '.github/workflows/plain.yml': workflow('deno run -A --frozen main.ts'),
  // a set the root deno.json declares: the thread's answer (none) differs, the scan reads it
  '.github/workflows/sets.yml': workflow('deno run -P=net main.ts'),
  // a set no deno.json declares: the same answer on both sides, taken
  '.github/workflows/unknown-set.yml': workflow('deno run --permission-set=nothing main.ts'),
  // the default set in tools/, which its deno.json takes from the root's: the scan reads it
  '.github/workflows/default.yml': workflow('cd tools && deno run -P main.ts'),
  // a file the config's contexts move (the second test): the scan reads it
  '.github/workflows/moved.yml': workflow('deno run --allow-env main.ts'),
  // a syntax error and an alias bomb: their problems come back as facts
  '.github/workflows/broken.yml': 'on: push\njobs:\n  t: [\n',
  '.github/workflows/bomb.yml': `a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\non: push\njobs: {}\n`,
  // other kinds read ahead
  'compose.yaml': 'services:\n  api:\n    image: denoland/deno:2.1.0\n    command: ["deno", "run", "-A", "main.ts"]\n',
  'k8s/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: denoland/deno:2.1.0\n          args: ["run", "--allow-all", "main.ts"]\n',
  // a GitLab CI file that includes another: it asks for that file, the scan reads it
  '.gitlab-ci.yml': 'include:\n  - local: ci/deno.yml\ntest:\n  script:\n    - deno run -A main.ts\n',
  'ci/deno.yml': 'lint:\n  script:\n    - deno lint\n',
  'main.ts': 'console.log(1);\n',
};

type Counts = { sent: number; taken: number; refused: number; takenBack: number };

async function run(mode: '0' | 'all' | undefined, contextOverride?: (file: string) => string | undefined, persona = 'regular', files = FILES): Promise<{ out: string; counts: Counts }> {
  const { lint } = await dist('src/lint.js');
  const { memoryFs } = await dist('src/fs.js');
  const { scanAheadCounts } = await dist('src/scan-ahead.js');
  const at = { ...scanAheadCounts };
  if (mode === undefined) delete process.env.PERMLINT_READ_AHEAD;
  else process.env.PERMLINT_READ_AHEAD = mode;
  try {
    const res = await lint({ fs: memoryFs(files), paths: ['.'] }, { cwd: '/', selection: { persona }, ...(contextOverride ? { contextOverride } : {}) });
    const counts = { sent: scanAheadCounts.sent - at.sent, taken: scanAheadCounts.taken - at.taken, refused: scanAheadCounts.refused - at.refused, takenBack: scanAheadCounts.takenBack - at.takenBack };
    return { out: JSON.stringify({ model: res.model, findings: res.findings }), counts };
  } finally {
    delete process.env.PERMLINT_READ_AHEAD;
  }
}

describe('files read ahead in the parser thread', () => {
  afterAll(async () => {
    await (await dist('src/sources/typescript/parser.js')).stopParser();
  });

  it('gives the model and findings the scan gives alone, taking only what nothing else can change', async () => {
    const here = await run('0');
    expect(here.counts).toEqual({ sent: 0, taken: 0, refused: 0, takenBack: 0 });
    const ahead = await run('all');
    expect(ahead.out).toBe(here.out);
    const model = JSON.parse(here.out).model;
    expect(model.problems.map((p: any) => [p.file, p.code]).filter((p: any) => p[0].startsWith('.github'))).toEqual([
      ['.github/workflows/bomb.yml', 'alias-bomb'],
      ['.github/workflows/broken.yml', 'yaml-syntax'],
    ]);
    // every YAML file of a kind read ahead: 7 workflows, compose, Kubernetes and 2 GitLab CI files;
    // read again: sets.yml and default.yml (sets the scan knows) and .gitlab-ci.yml (an include);
    // none taken back: with `all` the scan waits for every job
    expect(ahead.counts).toEqual({ sent: 11, taken: 8, refused: 3, takenBack: 0 });
  });

  it('reads a file the config moves to another context itself', async () => {
    const move = (file: string) => (file === '.github/workflows/moved.yml' ? 'deployment' : undefined);
    const here = await run('0', move);
    const ahead = await run('all', move);
    expect(ahead.out).toBe(here.out);
    expect(JSON.parse(ahead.out).model.invocations.find((i: any) => i.origin.file === '.github/workflows/moved.yml').context.kind).toBe('deployment');
    expect(ahead.counts).toEqual({ sent: 11, taken: 7, refused: 4, takenBack: 0 });
  });

  it('starts the thread for a file of 128 K characters or more in a tree without TypeScript, and reads one nested too deeply there as the scan does', async () => {
    const steps = Array.from({ length: 20 }, (_, i) => `      - run: deno run --allow-read=./data${i} main.ts\n`).join('');
    const pad = `# ${'x'.repeat(130 * 1024)}\n`;
    const files = {
      '.github/workflows/big.yml': `${pad}on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`,
      // found first (the root's files come before its folders'): long enough to start the thread itself
      'compose.yaml': `${pad}services: ${'['.repeat(1200)}${']'.repeat(1200)}\n`,
      'deno.json': JSON.stringify({ permissions: { net: { net: true } } }),
    };
    expect(files['.github/workflows/big.yml'].length).toBeGreaterThan(128 * 1024);
    const here = await run('0', undefined, 'regular', files);
    const ahead = await run(undefined, undefined, 'regular', files);
    expect(ahead.out).toBe(here.out);
    const model = JSON.parse(here.out).model;
    expect(model.invocations.filter((i: any) => i.origin.file === '.github/workflows/big.yml')).toHaveLength(20);
    expect(model.problems.map((p: any) => [p.file, p.code])).toEqual([['compose.yaml', 'nesting-budget']]);
    // each taken from the thread, or taken back when the thread had not begun it (it starts for
    // them: which, depends on how soon it is up; the model is the same either way)
    expect(ahead.counts.sent).toBe(2);
    expect(ahead.counts.refused).toBe(0);
    expect(ahead.counts.taken + ahead.counts.takenBack).toBe(2);
  });

  it('reads nothing ahead when section G runs (its graphs take the thread)', async () => {
    const here = await run('0', undefined, 'auditor');
    const ahead = await run('all', undefined, 'auditor');
    expect(ahead.out).toBe(here.out);
    expect(ahead.counts).toEqual({ sent: 0, taken: 0, refused: 0, takenBack: 0 });
  });
});
