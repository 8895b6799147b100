/**
 * Hostile trees, part 2: what permlint prints (issue 16, items 6 and 9). Names and values from
 * the tree carry newlines, workflow commands, terminal escapes, HTML, links, images and mentions;
 * no output format may pass them on live. Output failures end with the right exit code.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_RSS_KB, cleanup, figures, record, runCli, tempTree } from './harness.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) cleanup(d);
  console.log(figures.map((f) => `${f.name}: exit ${f.code}, ${f.seconds} s, ${f.peakMb} MB`).join('\n'));
});

const ESC = '\u001b';
const EVIL_TASK = `a\n::add-mask::MASK-ME\n::error file=x.ts,line=1::fake\n::stop-commands::pwn\r${ESC}[2J${ESC}]8;;http://evil.example${ESC}\\`;
const EVIL_DIR = `d\n::error::injected ${ESC}[31m\r`;
const HTML_DIR = `<img src=x onerror=alert(1)>[a](https:evil.example)![i](javascript:alert(1)) @octocat \`x\` |`;

function hostileTree(): string {
  const dir = tempTree({ 'deno.json': JSON.stringify({ tasks: { [EVIL_TASK]: 'deno run -A main.ts' } }) });
  dirs.push(dir);
  mkdirSync(join(dir, EVIL_DIR));
  writeFileSync(join(dir, EVIL_DIR, 'run.sh'), 'deno run --allow-all main.ts\n');
  mkdirSync(join(dir, HTML_DIR));
  writeFileSync(join(dir, HTML_DIR, 'deno.json'), JSON.stringify({ tasks: { '<script>alert(1)</script> @octocat [x](http://evil.example)': 'deno run -A main.ts' } }));
  return dir;
}

function common(r: { stdout: string; stderr: string; peakKb: number; code: number | null }) {
  expect(r.stdout + r.stderr).not.toContain(ESC);
  expect(r.stdout + r.stderr).not.toContain('\r');
  // eslint-disable-next-line no-control-regex
  expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
  expect(r.peakKb).toBeLessThan(MAX_RSS_KB);
  expect([0, 1, 2]).toContain(r.code);
}

describe('hostile output: workflow commands, terminal escapes, markdown', () => {
  it('--format github: annotations escaped, the plain report runs with workflow commands stopped; nothing injected', async () => {
    const dir = hostileTree();
    const r = record('github format with injected commands', await runCli(['--format', 'github', '--fail-on', 'warning', '.'], dir));
    common(r);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
    expect(stop).toBeGreaterThan(0);
    const token = lines[stop]!.slice('::stop-commands::'.length);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const end = lines.indexOf(`::${token}::`);
    expect(end).toBeGreaterThan(stop);
    // before the block: one annotation per line, nothing else
    for (const l of lines.slice(0, stop)) expect(l).toMatch(/^::(error|warning|notice) file=[^:]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z-]+::/);
    // inside: no line that looks like a command; after: nothing
    for (const l of lines.slice(stop + 1, end)) expect(l.trimStart()).not.toMatch(/^(::|##\[)/);
    expect(lines.slice(end + 1).join('')).toBe('');
    expect(r.stdout).not.toContain('\n::add-mask::');
    expect(r.stdout).toContain('%0A::add-mask::');
  });

  it('stylish and audit: control characters from names and values are shown escaped', async () => {
    const dir = hostileTree();
    const lint = record('stylish with escapes', await runCli(['.'], dir));
    common(lint);
    expect(lint.stdout).toContain('\\x1b[2J');
    expect(lint.stdout).toContain('d\\n::error::injected \\x1b[31m\\r/run.sh');
    const audit = record('audit stylish with escapes', await runCli(['audit', '.'], dir));
    common(audit);
    expect(audit.stdout).toContain('\\x1b');
  });

  it('markdown (lint and audit): HTML, links, images, mentions and backticks render as text', async () => {
    const dir = hostileTree();
    for (const args of [['--format', 'markdown', '.'], ['audit', '--format', 'markdown', '.']]) {
      const r = record(`${args[0]} markdown`, await runCli(args, dir));
      common(r);
      // code spans show their content as text; everything outside them must be inert
      const outside = r.stdout.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, '');
      expect(outside).not.toMatch(/<(img|script)/i);
      expect(outside).not.toMatch(/(?<!\\)\]\((https?|javascript):/);
      expect(outside).not.toMatch(/@octocat/);
      expect(r.stdout).toContain('&lt;script&gt;');
      expect(r.stdout).not.toContain('\n::');
      // every table row keeps its table's cell count: no `|` from a name breaks out of its cell
      expect(r.stdout.split('\n').some((l) => l.startsWith('| ') && l.includes('deno.json'))).toBe(true);
      const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
      let width = 0;
      for (const l of r.stdout.split('\n')) {
        if (!l.startsWith('|')) width = 0;
        else if (!width) width = cells(l);
        else expect(cells(l), l).toBe(width);
      }
    }
  });

  it('JSON, SARIF and JUnit carry the text escaped by their own syntax', async () => {
    const dir = hostileTree();
    for (const f of ['json', 'sarif', 'junit']) {
      const r = record(`${f} with escapes`, await runCli(['--format', f, '.'], dir));
      common(r);
      if (f !== 'junit') expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
  });
});

describe('hostile output: writing the report fails', () => {
  it('a reader that closes the pipe early (| head -c 10): no stack trace, the exit code the findings decide', async () => {
    const dir = hostileTree();
    for (let i = 0; i < 800; i++) {
      mkdirSync(join(dir, `p${i}`));
      writeFileSync(join(dir, `p${i}`, 'deno.json'), JSON.stringify({ tasks: { a: 'deno run -A main.ts' } }));
    }
    const full = await runCli(['--fail-on', 'warning', '.'], dir);
    expect(full.code).toBe(1);
    expect(full.stdout.length).toBeGreaterThan(150_000); // more than a pipe holds: the child meets EPIPE
    const r = record('EPIPE after 10 bytes', await runCli(['--fail-on', 'warning', '.'], dir, { closeStdoutAfter: 10 }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const never = await runCli(['--fail-on', 'never', '.'], dir, { closeStdoutAfter: 10 });
    expect(never.stderr).toBe('');
    expect(never.code).toBe(0);
  });

  it('a full disk (stdout on /dev/full): exit 2 with a message, no stack trace', async () => {
    const dir = hostileTree();
    const r = record('stdout on /dev/full', await runCli(['--fail-on', 'never', '.'], dir, { stdoutPath: '/dev/full' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write the report to standard output: ENOSPC');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
