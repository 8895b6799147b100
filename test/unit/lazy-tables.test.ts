/**
 * The large data tables (data/deno-api-permissions.json, data/node-api-permissions.json,
 * src/grammar/deno-flags.json) are read when first used, not built by every run's start: the
 * build's bundles hold none of them, a run that neither analyses code nor parses a deno command
 * reads none, and what is read is the table itself.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import DENO_API from '../../data/deno-api-permissions.json' with { type: 'json' };
import NODE_API from '../../data/node-api-permissions.json' with { type: 'json' };
import DENO_FLAGS from '../../src/grammar/deno-flags.json' with { type: 'json' };
import { dataTable } from '../../src/infer/apis.js';
import { isDenoSubcommand } from '../../src/grammar/deno.js';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'permlint-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lints `files` in a fresh process (the built ES modules): which tables did it read? */
function tablesRead(files: Record<string, string>): { invocations: number; apiReads: number; denoFlags: boolean } {
  const tree = mkdtempSync(join(dir, 't-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(tree, name), text);
  const dist = (p: string) => JSON.stringify(new URL(`dist/src/${p}`, `file://${ROOT}/`).href);
  const script = `
    const { lint } = await import(${dist('lint.js')});
    const apis = await import(${dist('infer/apis.js')});
    const deno = await import(${dist('grammar/deno.js')});
    const { model } = await lint(['.'], { cwd: ${JSON.stringify(tree)} });
    process.stdout.write(JSON.stringify({ invocations: model.invocations.length, apiReads: apis.dataTableReads, denoFlags: deno.denoFlagTableRead() }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as ReturnType<typeof tablesRead>;
}

describe('data tables read on first use', () => {
  it('a run with a node script only reads neither the API tables nor the deno flag table', () => {
    const r = tablesRead({ 'package.json': '{ "scripts": { "start": "node --permission --allow-fs-read=. index.js" } }\n' });
    expect(r.invocations).toBe(1);
    expect(r.apiReads).toBe(0);
    expect(r.denoFlags).toBe(false);
  });

  it('a run with a deno task reads the deno flag table', () => {
    const r = tablesRead({ 'deno.json': '{ "tasks": { "start": "deno run --allow-net=api.example.com main.ts" } }\n' });
    expect(r.invocations).toBe(1);
    expect(r.denoFlags).toBe(true);
  });

  it('the tables read are the JSON modules', () => {
    expect(dataTable('deno-api-permissions')).toEqual(DENO_API);
    expect(dataTable('node-api-permissions')).toEqual(NODE_API);
    for (const sub of Object.keys(DENO_FLAGS.subcommands)) expect(isDenoSubcommand(sub)).toBe(true);
    expect(isDenoSubcommand('no-such-subcommand')).toBe(false);
  });

  it("the build's bundles do not hold the tables", () => {
    const needles = [DENO_API.$comment, JSON.stringify(DENO_FLAGS.generatedFrom), NODE_API.$comment];
    for (const bundle of ['cli.cjs', 'thread.cjs']) {
      const file = join(ROOT, 'dist/bundle', bundle);
      if (!existsSync(file)) continue;
      const text = readFileSync(file, 'latin1');
      for (const needle of needles) expect(text.includes(needle), `${bundle}: ${needle}`).toBe(false);
    }
  });
});
