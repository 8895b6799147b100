import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { FIXTURES } from '../helpers.js';

async function run(args: string[], stderrIsTTY: boolean, env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, env, cwd: join(FIXTURES, 'demo'), stderrIsTTY });
  return { code, out, err };
}

describe('progress', () => {
  it('shows on a terminal for the human format, on stderr only, and is erased at the end', async () => {
    const r = await run(['.'], true);
    expect(r.err).toContain('permlint: reading');
    expect(r.err.endsWith('\r\u001b[2K')).toBe(true);
    expect(r.out).not.toContain('permlint: reading');
  });
  it('never shows for machine formats, when stderr is not a terminal, or in CI', async () => {
    for (const f of ['json', 'sarif', 'junit', 'github', 'markdown']) expect((await run(['--format', f, '.'], true)).err).toBe('');
    expect((await run(['.'], false)).err).toBe('');
    expect((await run(['.'], true, { CI: 'true' })).err).toBe('');
  });
});
