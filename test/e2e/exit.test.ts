/**
 * How a CLI run ends (bin/permlint.js): once the report is written whole, the run ends itself
 * (`process.exit`) instead of waiting for Node to free both V8 heaps page by page, with the exit
 * code the findings decide; when writing the report failed, Node's own ending is kept, and with it
 * the exit code 2 and the message. A module loaded into each run (./exit/listen.mjs) says whether
 * the event loop ran empty (`beforeExit`: the natural end) and the code the process exited with.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, FIXTURES } from '../helpers.js';

const LISTEN = pathToFileURL(resolve(__dirname, 'exit/listen.mjs')).href;

function run(args: string[], cwd: string, stdout: 'pipe' | number = 'pipe') {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', stdout, 'pipe'],
    env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--import ${LISTEN}` },
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr, ending: r.stderr.split('\n').filter((l) => l.startsWith('ENDING ')) };
}

describe('how a CLI run ends', () => {
  it('a run with findings ends itself after the report, with exit code 1', () => {
    const r = run(['--format', 'json', '.'], resolve(FIXTURES, 'demo'));
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    expect(r.ending).toEqual(['ENDING exit 1']);
  });

  it('a clean run ends itself with exit code 0, and so does --version', () => {
    const clean = run(['.'], resolve(FIXTURES, 'core-clean'));
    expect(clean.code).toBe(0);
    expect(clean.ending).toEqual(['ENDING exit 0']);
    const version = run(['--version'], resolve(FIXTURES, 'demo'));
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(version.ending).toEqual(['ENDING exit 0']);
  });

  it("a report that cannot be written (stdout on /dev/full) keeps Node's own ending: exit 2 with the message", () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = run(['--fail-on', 'never', '.'], resolve(FIXTURES, 'demo'), fd);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cannot write the report to standard output: ENOSPC');
      expect(r.ending).toEqual(['ENDING natural', 'ENDING exit 2']);
    } finally {
      closeSync(fd);
    }
  });
});
