/** The format names `--help` lists without loading reporters, and what start-up loads. */
import { describe, expect, it } from 'vitest';
import { REPORTERS } from '../../src/report/index.js';
import { FORMATS } from '../../src/report/formats.js';
import { ROOT, runCli } from '../helpers.js';

describe('lazy start-up', () => {
  it('FORMATS names exactly the reporters', () => {
    expect([...FORMATS].sort()).toEqual(Object.keys(REPORTERS).sort());
  });

  it('--version, --help and explain load no dependency at all (CommonJS loads traced by Node)', () => {
    for (const args of [['--version'], ['--help'], ['explain', 'allow-all']]) {
      const r = runCli(args, ROOT, { NODE_DEBUG: 'module' });
      expect(r.code).toBe(0);
      expect(r.stderr, `${args.join(' ')} loaded a dependency`).not.toContain('node_modules/');
    }
    expect(runCli(['explain', 'allow-all'], ROOT).stdout).toContain('# allow-all');
    // the same trace shows jsonc-parser (the deno.json reader) on a lint run, so the check above can fail
    const lint = runCli(['--format', 'json', 'fixtures/core-shell'], ROOT, { NODE_DEBUG: 'module' });
    expect(lint.stderr).toContain('node_modules/jsonc-parser/');
  });
});
