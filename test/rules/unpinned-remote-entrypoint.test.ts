import { describe, expect, it } from 'vitest';
import { fixtureFiles, ruleTester } from '../rule-tester.js';
import { at, modelOf } from '../semantics/where.js';
import { runRules } from '../../src/engine.js';
import { pinState, unpinnedRemoteEntrypoint } from '../../rules/unpinned-remote-entrypoint.js';

const FX = 'hosts-unpinned-entrypoint';
const RULE = 'unpinned-remote-entrypoint';

const loc = (file: string, lineHas: string, token: string) => {
  const [, line, column] = at(FX, file, lineHas, token).split(':');
  return { file, line: Number(line), column: Number(column) };
};
const TASKS = ['"denoland"', '"jsr"', '"npm"', '"raw"', '"range"', '"std"'];
const ENTRY = ['https://deno.land/x/mod/cli.ts', 'jsr:@scope/pkg', 'npm:cowsay', 'https://raw.githubusercontent.com', 'jsr:@std/http@^1.0.0', 'https://deno.land/std/'];

ruleTester(RULE, {
  valid: [
    {
      name: 'pinned specifiers, `deno install` of a dependency, local files',
      files: {
        'deno.json': JSON.stringify({
          tasks: {
            'pinned-jsr': 'deno run jsr:@std/http@1.0.9/file-server',
            'pinned-npm': 'deno run npm:cowsay@1.6.0',
            'add-dep': 'deno install jsr:@std/http',
            local: 'deno run main.ts',
          },
        }),
      },
    },
  ],
  invalid: [
    {
      // none on the fixture's pinned-jsr, pinned-x, pinned-raw, pinned-npm, pinned-esm, add-dep and local tasks: exactly these six
      name: 'the runtime command word of each unpinned remote entrypoint, with the entrypoint as a related location; a warning in every context',
      files: fixtureFiles(FX),
      errors: TASKS.map((t, i) => ({ ...loc('deno.json', t, 'deno '), level: 'warning' as const, message: /./, related: [loc('deno.json', t, ENTRY[i]!)] })),
    },
  ],
});

describe('unpinned-remote-entrypoint', () => {
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
