/**
 * What a lint keeps after parsing: no file's text stays reachable from the result (the model,
 * the findings, the discovered list, the file table) except the texts of files that hold a
 * suppression directive; any other text is read again on demand and given only while it is
 * still what was scanned. A structural check over the object graph, not a size threshold.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs, type FileSystem } from '../../src/fs.js';

const pad = (n: number) => `${'// a line that makes this file longer than any excerpt a finding quotes\n'.repeat(n)}`;

const TREE: Record<string, string> = {
  'deno.json': JSON.stringify({ tasks: { dev: 'deno run -A main.ts', serve: 'deno run --allow-net --allow-read=. server.ts' } }, null, 2),
  'main.ts': `import { spawn } from 'node:child_process';\n${pad(3)}spawn('deno', ['run', '-A', 'worker.ts']);\n`,
  'lib/util.ts': `export const answer = 42;\n${pad(5)}`,
  'Dockerfile': `FROM denoland/deno:2.1.0\nWORKDIR /app\nCOPY . .\n${'# layer\n'.repeat(10)}CMD ["deno", "run", "-A", "main.ts"]\n`,
  '.github/workflows/ci.yml': `name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: deno run -A main.ts\n${'      - run: echo step\n'.repeat(5)}`,
  '.github/workflows/release.yml': `name: release\non: push\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      # permlint-ignore allow-all -- the release job publishes and needs it\n      - run: deno run -A publish.ts\n`,
};

/** Every string reachable from `root` through properties, array items, Map and Set entries (private fields included). */
function reachableStrings(root: unknown): Set<string> {
  const out = new Set<string>();
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      out.add(v);
      continue;
    }
    if (!v || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) continue;
    if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set) for (const x of v) stack.push(x);
    for (const key of Object.getOwnPropertyNames(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d && 'value' in d) stack.push(d.value);
    }
  }
  return out;
}

describe('what a lint keeps after parsing', () => {
  it('holds no file text but those with suppression directives, and reads the others again on demand', async () => {
    const fs = memoryFs(TREE);
    const result = await lint(fs);
    expect(result.findings.some((f) => f.span.file === 'deno.json' && f.ruleId === 'allow-all')).toBe(true);
    // the directive was applied: nothing reported on the release workflow's -A
    expect(result.findings.filter((f) => f.span.file === '.github/workflows/release.yml' && f.ruleId === 'allow-all')).toEqual([]);

    const strings = reachableStrings(result);
    const held = Object.entries(TREE)
      .filter(([, text]) => strings.has(text))
      .map(([path]) => path);
    expect(held).toEqual(['.github/workflows/release.yml']);
    expect(result.discovered.every((f) => f.text === undefined)).toBe(true);

    // every file read is listed, and its text comes back as it was scanned
    expect([...result.files.keys()].sort()).toEqual(Object.keys(TREE).sort());
    for (const [path, text] of Object.entries(TREE)) expect(result.files.get(path)).toBe(text);
    expect(result.files.get('not/read.ts')).toBeUndefined();
  });

  it('gives no text for a file that changed after it was read', async () => {
    let edited = false;
    const base = memoryFs(TREE);
    const after = memoryFs({ ...TREE, 'deno.json': TREE['deno.json']!.replace('-A', '-R') });
    const fs: FileSystem = { ...base, readFile: (p, max) => (edited ? after : base).readFile(p, max) };
    const result = await lint(fs);
    edited = true;
    expect(result.files.get('deno.json')).toBeUndefined();
    expect([...result.files.changed]).toEqual(['deno.json']);
    expect(result.files.get('Dockerfile')).toBe(TREE['Dockerfile']);
  });
});
