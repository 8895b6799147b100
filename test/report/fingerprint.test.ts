import { describe, expect, it } from 'vitest';
import { findingKeys, lineHashes } from '../../src/report/fingerprint.js';
import type { Finding } from '../../src/model.js';

// Known answers published with github/codeql-action's fingerprint tests (src/fingerprints.test.ts).
const VECTORS: [string, string[]][] = [
  ['', ['c129715d7a2bc9a3:1']],
  [' a\nb\n  \t\tc\n d', ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']],
  [' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End', ['8b7cf3e952e7aeb2:1', 'b1ae1287ec4718d9:1', 'bff680108adb0fcc:1', 'c6805c5e1288b612:1', 'b86d3392aea1be30:1', 'e6ceba753e1a442:1']],
  ...[' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n', ' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r', ' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n', ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n'].map(
    (t): [string, string[]] => [t, ['e9496ae3ebfced30:1', 'fb7c023a8b9ccb3f:1', 'ce8ba1a563dcdaca:1', 'e20e36e16fcb0cc8:1', 'b3edc88f2938467e:1', 'c8e28b0b4002a3a0:1', 'c129715d7a2bc9a3:1']],
  ),
  [
    'Lorem ipsum dolor sit amet.\n'.repeat(10),
    ['a7f2ff13bc495cf2:1', 'a7f2ff13bc495cf2:2', 'a7f2ff13bc495cf2:3', 'a7f2ff13bc495cf2:4', 'a7f2ff13bc495cf2:5', 'a7f2ff13bc495cf2:6', 'a7f2ff1481e87703:1', 'a9cf91f7bbf1862b:1', '55ec222b86bcae53:1', 'cc97dc7b1d7d8f7b:1', 'c129715d7a2bc9a3:1'],
  ],
];

describe('primaryLocationLineHash (GitHub upload action algorithm)', () => {
  it.each(VECTORS.map(([t, h], i) => [i, t, h] as const))('vector %i', (_i, text, hashes) => {
    expect(lineHashes(text)).toEqual(hashes);
  });

  it('a line keeps its hash when unrelated lines are inserted above it', () => {
    const before = 'a: 1\ntasks:\n  start: deno run -A main.ts\n';
    const after = '# new comment\nb: 2\n\na: 1\ntasks:\n  start: deno run -A main.ts\n';
    expect(lineHashes(after)[5]).toBe(lineHashes(before)[2]);
  });
});

describe('permlint finding keys', () => {
  const f = (line: number, column: number, endColumn: number): Finding => ({ ruleId: 'allow-all', level: 'error', message: 'm', span: { file: 'a.sh', line, column, endLine: line, endColumn } });
  it('key on the flagged text and occurrence, not the line', () => {
    const a = findingKeys([f(1, 10, 12)], new Map([['a.sh', 'deno run -A x.ts\n']]));
    const b = findingKeys([f(3, 13, 15)], new Map([['a.sh', '\n\n  deno  run -A x.ts\n']]));
    expect(a[0]!.text).toBe('-A');
    expect(b[0]!.fingerprint).toBe(a[0]!.fingerprint);
  });
  it('numbers repeated findings with the same text', () => {
    const keys = findingKeys([f(1, 10, 12), f(2, 10, 12)], new Map([['a.sh', 'deno run -A x.ts\ndeno run -A y.ts\n']]));
    expect(keys.map((k) => k.occurrence)).toEqual([1, 2]);
    expect(keys[0]!.fingerprint).not.toBe(keys[1]!.fingerprint);
  });
});
