/**
 * A file that waits for a local module analysed after it lets its syntax tree go, and parses its
 * text again when the module wakes it (src/sources/typescript/analyze.ts `release`): the facts
 * are those of the file analysed with its tree kept. In-process, small inputs.
 */
import { describe, expect, it } from 'vitest';
import { analyzeParsed, newModuleTable } from '../../src/sources/typescript/analyze.js';
import { parseRaw } from '../../src/sources/typescript/raw.js';
import { emptyModel, type Model } from '../../src/model.js';
import { resolverOfSnapshot } from '../../src/set-resolver.js';
import { LineIndex } from '../../src/text.js';
import type { ScanContext, SourceFile } from '../../src/sources/types.js';

const FILES: [string, string][] = [
  ['app/run.ts', "import { spawn } from './z_proc.ts';\nspawn('deno', ['run', '--allow-net', 'main.ts']);\nconst w = 1;\n"],
  ['app/z_proc.ts', "import { spawn } from 'node:child_process';\nexport { spawn };\nexport const x = 1;\n"],
];

function analyse(withReparse: boolean): { model: Model; reparsed: string[] } {
  const files = new Map<string, SourceFile>(FILES.map(([path, text]) => [path, { path, text, index: new LineIndex(path, text) }]));
  const ctx: ScanContext = {
    model: emptyModel(),
    resolverFor: resolverOfSnapshot({ folders: [], declarations: [] }),
    contextFor: (_f, natural) => natural,
    nextId: () => 'x',
    file: (p) => files.get(p),
  };
  const table = newModuleTable();
  const reparsed: string[] = [];
  for (const f of files.values()) {
    const parse = () => parseRaw(f.path, f.text, 'ts', ['module'])!;
    analyzeParsed(f, ctx, table, parse(), withReparse ? () => (reparsed.push(f.path), parse()) : undefined);
  }
  return { model: ctx.model, reparsed };
}

describe('a file waiting for a module', () => {
  it('parses its text again when woken, with the facts of a file that kept its tree', () => {
    const released = analyse(true);
    const kept = analyse(false);
    expect(released.reparsed).toEqual(['app/run.ts']);
    expect(kept.reparsed).toEqual([]);
    expect(released.model).toEqual(kept.model);
    expect(released.model.invocations.map((i) => [i.origin.file, i.runtime, i.subcommand])).toEqual([['app/run.ts', 'deno', 'run']]);
  });
});
