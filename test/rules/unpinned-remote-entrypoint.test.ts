import { describe, expect, it } from 'vitest';
import { lintFixture } from '../helpers.js';
import { at, modelOf, positions } from '../semantics/where.js';
import { runRules } from '../../src/engine.js';
import { pinState, unpinnedRemoteEntrypoint } from '../../rules/unpinned-remote-entrypoint.js';

const FX = 'hosts-unpinned-entrypoint';
const RULE = 'unpinned-remote-entrypoint';

describe('unpinned-remote-entrypoint', () => {
  it('points at the runtime command word of each unpinned remote entrypoint, with the entrypoint as a related location', async () => {
    const { findings } = await lintFixture(FX);
    const tasks = ['"denoland"', '"jsr"', '"npm"', '"raw"', '"range"', '"std"'];
    expect(positions(findings, RULE)).toEqual(tasks.map((t) => at(FX, 'deno.json', t, 'deno ')));
    const entry = ['https://deno.land/x/mod/cli.ts', 'jsr:@scope/pkg', 'npm:cowsay', 'https://raw.githubusercontent.com', 'jsr:@std/http@^1.0.0', 'https://deno.land/std/'];
    findings
      .filter((f) => f.ruleId === RULE)
      .forEach((f, i) => {
        const r = f.related![0]!.span;
        expect(`${r.file}:${r.line}:${r.column}`).toBe(at(FX, 'deno.json', tasks[i]!, entry[i]!));
        expect(f.level).toBe('warning'); // keeps its level in every context
      });
  });

  it('never fires on pinned specifiers, `deno install` of a dependency, or local files', async () => {
    const { findings } = await lintFixture(FX);
    const lines = new Set(findings.filter((f) => f.ruleId === RULE).map((f) => f.span.line));
    for (const t of ['"pinned-jsr"', '"pinned-x"', '"pinned-raw"', '"pinned-npm"', '"pinned-esm"', '"add-dep"', '"local"']) {
      expect(lines.has(Number(at(FX, 'deno.json', t, t).split(':')[1])), t).toBe(false);
    }
  });

  it.each([
    ['https://deno.land/x/mod/cli.ts', false],
    ['https://deno.land/x/mod@v1.2.3/cli.ts', true],
    ['https://deno.land/x/mod@main/cli.ts', false],
    ['https://deno.land/std/http/file_server.ts', false],
    ['https://deno.land/std@0.224.0/http/file_server.ts', true],
    ['jsr:@scope/pkg', false],
    ['jsr:@std/http@1.0.9', true],
    ['jsr:@std/http@1.0.9/file-server', true],
    ['jsr:@std/http@^1.0.9', false],
    ['jsr:@std/http@1', false],
    ['npm:cowsay', false],
    ['npm:cowsay@1.6.0', true],
    ['npm:cowsay@latest', false],
    ['npm:@scope/tool@2.0.0/bin', true],
    ['npm:@scope/tool/bin', false],
    ['https://raw.githubusercontent.com/o/r/main/cli.ts', false],
    ['https://raw.githubusercontent.com/o/r/v1.2.3/cli.ts', true],
    ['https://raw.githubusercontent.com/o/r/0123456789abcdef0123456789abcdef01234567/cli.ts', true],
    ['https://gist.githubusercontent.com/u/abc/raw/cli.ts', false],
    ['https://gist.githubusercontent.com/u/abc/raw/0123456789abcdef0123456789abcdef01234567/cli.ts', true],
    ['https://jsr.io/@std/http/1.0.9/file_server.ts', true],
    ['https://esm.sh/@scope/pkg@2.0.1/cli', true],
    ['https://esm.sh/pkg', false],
    ['https://cdn.jsdelivr.net/gh/u/r@main/cli.ts', false],
    ['https://example.com/tools/1.4.0/install.ts', true],
    ['https://example.com/install.ts', false],
  ])('%s pinned: %s', (spec, pinned) => {
    expect(pinState(spec)?.pinned).toBe(pinned);
  });

  it.each([['main.ts'], ['./cli.ts'], ['file:///app/main.ts'], ['/abs/main.ts']])('%s is local: not judged', (spec) => {
    expect(pinState(spec)).toBeUndefined();
  });

  it('covers `deno install -g` targets, never `deno install` of a dependency, and respects trusted programs and hosts', () => {
    const model = modelOf([
      { text: 'deno install -g -n tool jsr:@acme/tool', context: { kind: 'development', cwd: '' } },
      { text: 'deno install jsr:@acme/tool', context: { kind: 'development', cwd: '' } },
      { text: 'deno run https://tools.acme.dev/cli.ts', context: { kind: 'development', cwd: '' } },
    ]);
    expect(runRules(model, [unpinnedRemoteEntrypoint]).findings.map((f) => `${f.span.column}`)).toEqual(['1', '1']);
    const trusted = runRules(model, [unpinnedRemoteEntrypoint], { trusted: { hosts: ['tools.acme.dev'], paths: [], programs: ['jsr:@acme/tool'] } }).findings;
    expect(trusted).toEqual([]);
  });
});
