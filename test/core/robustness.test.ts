/** Every input terminates with a finding or a clear message: malformed, huge, binary, deep, looping. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brief, lintDir, runMain } from '../helpers.js';

function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-rb-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

describe('bad input never crashes', () => {
  it('reports deeply nested JSON, binary files, unclosed quotes and oversized files as parse-error', async () => {
    const dir = tree({
      'deep/deno.json': '['.repeat(100_000) + ']'.repeat(100_000),
      'bin.sh': Buffer.from([0, 1, 2, 0x64, 0x65, 0x6e, 0x6f]),
      'deno.json': '{"tasks":{"a":"deno run \\"unclosed main.ts"}}',
      'big.sh': 'deno run -A main.ts\n'.repeat(120_000),
    });
    const { findings } = await lintDir(dir);
    expect(brief(findings)).toEqual([
      'parse-error big.sh:1:1 error',
      'parse-error bin.sh:1:1 error',
      'parse-error deep/deno.json:1:201 error',
      'parse-error deno.json:1:25 error',
    ]);
    expect(findings[0]!.message).toContain('larger than');
    expect(findings[3]!.message).toContain('closing quote');
  });

  it('survives invalid UTF-8, a BOM, CRLF line ends and trailing commas', async () => {
    const dir = tree({
      'package.json': Buffer.concat([Buffer.from('{"scripts":{"a":"node '), Buffer.from([0xff, 0xfe]), Buffer.from(' app.js"}}')]),
      'deno.json': '\ufeff{\r\n  "tasks": {\r\n    "a": "deno run --allow-write main.ts",\r\n  },\r\n}\r\n',
    });
    const { findings } = await lintDir(dir);
    expect(brief(findings)).toEqual(['unscoped-grant deno.json:3:20 warning']);
  });

  it('does not follow symbolic links out of the root and does not loop', async () => {
    const dir = tree({ 'deno.json': '{"tasks":{"a":"deno run --allow-net=a.com main.ts"}}' });
    const outside = tree({ 'deno.json': '{"tasks":{"a":"deno run -A main.ts"}}' });
    symlinkSync(outside, join(dir, 'outside'));
    symlinkSync(join(outside, 'deno.json'), join(dir, 'linked.json'));
    symlinkSync('loop1', join(dir, 'loop2'));
    symlinkSync('loop2', join(dir, 'loop1'));
    const r = await runMain(['--format', 'json', '.'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });
});
