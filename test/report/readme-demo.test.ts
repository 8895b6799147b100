/**
 * The README's demo: the command it shows, run in process, prints exactly the block the README
 * shows after it, and exits 1 (a README that shows another persona's output, or another root's
 * paths, tells users to expect findings they will not see).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runMain } from '../helpers.js';

const COMMAND = 'cd fixtures/demo && node ../../bin/permlint.js .';

/** The output block after the command block. */
function demoOutput(readme: string): string {
  const at = readme.indexOf('```sh\n' + COMMAND + '\n```');
  expect(at, 'the README shows the demo command').toBeGreaterThan(-1);
  const open = readme.indexOf('```\n', at + COMMAND.length + 10);
  const close = readme.indexOf('\n```', open + 4);
  return readme.slice(open + 4, close + 1);
}

describe('the README demo', () => {
  it('prints what the README shows, with exit code 1', async () => {
    const output = demoOutput(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const r = await runMain(['.'], join(ROOT, 'fixtures/demo'));
    expect(r.stdout).toBe(output);
    expect(r.code).toBe(1);
    expect(output).toContain('✖ 9 problems (7 errors, 2 warnings, 0 notes)');
  });

  it('has the 22 findings the README counts under --persona pedantic', async () => {
    const r = await runMain(['--persona', 'pedantic', '.'], join(ROOT, 'fixtures/demo'));
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('✖ 22 problems (8 errors, 8 warnings, 6 notes)');
    expect(r.code).toBe(1);
  });
});
