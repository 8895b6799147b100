import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { computeFixes } from '../../src/fix/index.js';
import type { Texts } from '../../src/file-texts.js';

/** The run's texts, noting which files are asked for (each is read again from the file system, src/file-texts.ts). */
function noting(texts: Texts): { texts: Texts; asked: Set<string> } {
  const asked = new Set<string>();
  return { asked, texts: { get: (p) => (asked.add(p), texts.get(p)), has: (p) => texts.has(p), keys: () => texts.keys() } };
}

describe('computeFixes reads a file again only where a fix may be', () => {
  it('skips the files of invocations no fix applies to, and finds the same fixes', async () => {
    const fs = memoryFs({
      'a/deno.json': '{ "tasks": { "start": "deno run --allow-net=example.com main.ts" } }',
      'b/deno.json': '{ "tasks": { "late": "deno run main.ts --allow-env" } }',
      'c/deno.json': '{ "tasks": { "dev": "deno run --allow-read main.ts --port 8000" } }',
      'a/main.ts': '',
      'b/main.ts': '',
      'c/main.ts': '',
    });
    const r = await lint(fs, { rules: [] });
    const { texts, asked } = noting(r.files);
    const fixes = computeFixes(r.model, texts, true);
    expect(fixes.map((f) => ({ rule: f.ruleId, file: f.span.file, line: f.span.line, column: f.span.column, edits: f.edits }))).toEqual([
      {
        rule: 'ineffective-flag',
        file: 'b/deno.json',
        line: 1,
        column: 40,
        edits: [
          { file: 'b/deno.json', start: 31, end: 31, text: '--allow-env ' },
          { file: 'b/deno.json', start: 38, end: 50, text: '' },
        ],
      },
    ]);
    expect([...asked]).toEqual(['b/deno.json']);
  });
});
