/**
 * `deno eval` code that uses no permission (src/eval-code.ts): read with the section G reader
 * and a few guards; anything it cannot see through keeps omitted-permissions an error.
 */
import { describe, expect, it } from 'vitest';
import { codeNeedsNothing } from '../../src/eval-code.js';

describe('deno eval code that needs nothing', () => {
  it.each([
    "console.log('Welcome to Deno!')",
    'console.log(1 + 2)',
    'console.log(Deno.version.deno)',
    'const xs = [1, 2, 3]; console.log(xs.map((x) => x * 2).join(","))',
  ])('needs nothing: %s', async (code) => {
    expect(await codeNeedsNothing(code)).toBe(true);
  });

  it.each([
    "Deno.readTextFileSync('/etc/passwd')",
    "await fetch('https://example.com')",
    "new Deno.Command('sh').outputSync()",
    "const { Command } = Deno; new Command('ls').outputSync()",
    "import('npm:chalk')",
    "import x from 'jsr:@std/fs'; console.log(x)",
    "import './local.ts'",
    "eval(atob('Y29uc29sZS5sb2coMSk='))",
    "new Function('return 1')()",
    "globalThis['De' + 'no'].readTextFileSync('/etc/passwd')",
    "Deno['readTextFileSync']('/etc/passwd')",
    "Reflect.get(globalThis, 'Deno')",
    'console.log(',
  ])('keeps the finding: %s', async (code) => {
    expect(await codeNeedsNothing(code)).toBe(false);
  });
});
