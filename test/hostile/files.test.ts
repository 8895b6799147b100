/**
 * Hostile trees, part 1: what permlint opens. Config files, ignore files, sources and paths named
 * on the command line that are links to secrets or devices, FIFOs, directories or loops
 * (issue 16, items 1, 2 and 8). Each case runs the built CLI and checks the exit code, that the
 * canary secret is not printed, that the run finished, and its peak memory.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_RSS_KB, SECRET, cleanup, figures, record, runCli, tempTree } from './harness.js';

const dirs: string[] = [];
const tree = (files: Record<string, string> = {}) => {
  const d = tempTree(files);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) cleanup(d);
  console.log(figures.map((f) => `${f.name}: exit ${f.code}, ${f.seconds} s, ${f.peakMb} MB`).join('\n'));
});
const mkfifo = (p: string) => execFileSync('mkfifo', [p]);
const GRANT = JSON.stringify({ tasks: { start: 'deno run -A main.ts' } });

function safe(r: { stdout: string; stderr: string; peakKb: number; code: number | null }) {
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/); // no stack trace
  expect(r.peakKb).toBeLessThan(MAX_RSS_KB);
  expect([0, 1, 2]).toContain(r.code);
}

describe('hostile files: configs', () => {
  it('a config linked to /proc/self/environ is refused without printing the environment', async () => {
    const dir = tree({ 'deno.json': GRANT });
    symlinkSync('/proc/self/environ', join(dir, '.permlintrc.yml'));
    const r = record('config -> /proc/self/environ', await runCli(['.'], dir));
    safe(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.permlintrc.yml');
    expect(r.stderr).toContain('outside the scan root');
  });

  it('a config linked to an .npmrc outside the root is refused; its token is not printed', async () => {
    const outside = tree({ '.npmrc': `//registry.npmjs.org/:_authToken=${SECRET}\n` });
    const dir = tree({ 'deno.json': GRANT });
    symlinkSync(join(outside, '.npmrc'), join(dir, 'permlint.config.json'));
    const r = record('config -> .npmrc', await runCli(['.'], dir));
    safe(r);
    expect(r.code).toBe(2);
  });

  it('a config given with --config that holds a secret: the error names the position, never the text', async () => {
    const dir = tree({ 'deno.json': GRANT, 'npmrc.json': `//registry.npmjs.org/:_authToken=${SECRET}\n`, 'env.yml': `${SECRET}\n`, 'keys.yml': `token: ${SECRET}\n`, 'lvl.json': JSON.stringify({ rules: { 'allow-all': SECRET } }) });
    for (const f of ['npmrc.json', 'env.yml', 'keys.yml', 'lvl.json']) {
      const r = record(`--config ${f} with a secret`, await runCli(['--config', f, '.'], dir));
      safe(r);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(f);
    }
  });

  it('a config linked to /etc/passwd, to /dev/zero, a FIFO config and a directory named like a config: exit 2 with the reason', async () => {
    const cases: [string, (dir: string) => void, RegExp][] = [
      ['/etc/passwd', (d) => symlinkSync('/etc/passwd', join(d, '.permlintrc.json')), /outside the scan root/],
      ['/dev/zero', (d) => symlinkSync('/dev/zero', join(d, '.permlintrc.yaml')), /outside the scan root/],
      ['FIFO', (d) => mkfifo(join(d, 'permlint.config.json')), /FIFO/],
      ['directory', (d) => mkdirSync(join(d, 'permlint.config.json')), /a directory/],
    ];
    for (const [name, make, reason] of cases) {
      const dir = tree({ 'deno.json': GRANT });
      make(dir);
      const r = record(`config: ${name}`, await runCli(['.'], dir));
      safe(r);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).not.toContain('root:x:0:0');
    }
  });

  it('a config link to /dev/zero given with --config is refused by type, not read', async () => {
    const dir = tree({ 'deno.json': GRANT });
    const r = record('--config /dev/zero', await runCli(['--config', '/dev/zero', '.'], dir));
    safe(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('character device');
  });

  it('a baseline that is a FIFO or a link to a secret is refused (exit 2), nothing printed from it', async () => {
    const outside = tree({ 'token.json': `{"x":"${SECRET}"` });
    const dir = tree({ 'deno.json': GRANT });
    mkfifo(join(dir, 'fifo.json'));
    symlinkSync(join(outside, 'token.json'), join(dir, 'link.json'));
    writeFileSync(join(dir, 'bad.json'), `{"tool":"${SECRET}`);
    for (const b of ['fifo.json', 'link.json', 'bad.json']) {
      const r = record(`--baseline ${b}`, await runCli(['--baseline', b, '.'], dir));
      safe(r);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(b);
    }
  });
});

describe('hostile files: the tree', () => {
  it('FIFOs and /dev/zero links as .gitignore and sources are skipped with the reason; the rest is scanned', async () => {
    const dir = tree({ 'deno.json': GRANT });
    mkfifo(join(dir, '.gitignore'));
    mkfifo(join(dir, 'package.json'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync('/dev/zero', join(dir, 'sub/.gitignore'));
    symlinkSync('/dev/zero', join(dir, 'sub/deno.jsonc'));
    symlinkSync('/dev/urandom', join(dir, 'Dockerfile'));
    mkdirSync(join(dir, 'compose.yml'));
    const r = record('FIFO and /dev/zero in the tree', await runCli(['--format', 'json', '.'], dir));
    safe(r);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { findings: { rule: string; file: string }[]; skipped: { path: string; reason: string }[] };
    expect(out.findings.map((f) => `${f.rule} ${f.file}`)).toEqual(['allow-all deno.json']);
    expect(out.skipped).toEqual([
      { path: '.gitignore', reason: 'a FIFO (named pipe), not a regular file; its patterns were not applied' },
      { path: 'Dockerfile', reason: 'symbolic link that points outside the scan root (not followed)' },
      { path: 'compose.yml', reason: 'a directory named like a file permlint reads' },
      { path: 'package.json', reason: 'a FIFO (named pipe), not a regular file' },
      { path: 'sub/.gitignore', reason: 'symbolic link that points outside the scan root (not followed); its patterns were not applied' },
      { path: 'sub/deno.jsonc', reason: 'symbolic link that points outside the scan root (not followed)' },
    ]);
  });

  it('symlinked files inside the root are followed (as Deno follows them); loops and links out are listed', async () => {
    const dir = tree({ 'configs/prod.json': GRANT, 'app/main.ts': '' });
    symlinkSync('../configs/prod.json', join(dir, 'app/deno.json'));
    symlinkSync('..', join(dir, 'app/up'));
    symlinkSync('app', join(dir, 'app2'));
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    const r = record('symlinks inside the root', await runCli(['--format', 'json', '.'], dir));
    safe(r);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; column: number }[]; skipped: { path: string; reason: string }[] };
    expect(out.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual(['allow-all app/deno.json:1:29']);
    expect(out.skipped).toEqual([
      { path: 'app/up', reason: 'symbolic link loop (a link to a folder that holds it)' },
      { path: 'app2', reason: 'symbolic link to a folder already scanned as app' },
      { path: 'loop-a', reason: 'symbolic link loop' },
      { path: 'loop-b', reason: 'symbolic link loop' },
    ]);
  });

  it('a nested .gitignore prunes its folder; a .gitignore above the root (up to the repository top) applies too', async () => {
    const dir = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'generated/\n',
      'pkg/.gitignore': '/build\n*.tmp.sh\n!keep.tmp.sh\n',
      'pkg/deno.json': GRANT,
      'pkg/build/deno.json': GRANT,
      'pkg/x.tmp.sh': 'deno run -A a.ts\n',
      'pkg/keep.tmp.sh': 'deno run -A b.ts\n',
      'pkg/generated/deno.json': GRANT,
    });
    const r = record('nested .gitignore', await runCli(['--format', 'json', '.'], join(dir, 'pkg')));
    safe(r);
    const files = (JSON.parse(r.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file);
    expect(files).toEqual(['deno.json', 'keep.tmp.sh']);
  });
});

describe('hostile files: paths named on the command line', () => {
  it('a FIFO, a link to /dev/zero, a link out of the root: a clear message and exit 2, not "0 files"', async () => {
    const dir = tree({ 'deno.json': GRANT });
    mkfifo(join(dir, 'pipe.sh'));
    symlinkSync('/dev/zero', join(dir, 'zero.json'));
    symlinkSync('/etc/passwd', join(dir, 'package.json'));
    for (const [p, reason] of [
      ['pipe.sh', 'FIFO'],
      ['zero.json', 'outside the scan root'],
      ['package.json', 'outside the scan root'],
      ['/dev/zero', 'character device'],
    ]) {
      const r = record(`explicit ${p}`, await runCli([p!], dir));
      safe(r);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`cannot read ${p}`);
      expect(r.stderr).toContain(reason);
      expect(r.stdout).not.toContain('0 files');
    }
  });
});

describe('hostile files: config globs', () => {
  it('a backtracking-bomb glob in contexts and overrides against a 44-character name finishes', async () => {
    const bomb = `${'*x'.repeat(10)}*z`;
    const name = `${'x'.repeat(44)}.sh`;
    const dir = tree({
      'permlint.config.json': JSON.stringify({ contexts: { ci: [bomb] }, overrides: [{ files: [bomb], rules: { 'allow-all': 'off' } }], ignore: [bomb] }),
      [name]: 'deno run -A main.ts\n',
      [`deep/${'x'.repeat(44)}/deno.json`]: GRANT,
    });
    const r = record('glob bomb in contexts/overrides/ignore', await runCli(['--format', 'json', '.'], dir));
    safe(r);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).toContain('allow-all');
  });
});
