/**
 * Explicit depth limits before the parsers that recurse per level (issue 16): YAML (the
 * composer), TOML (toml-eslint-parser), JSON/JSONC (jsonc-parser's tree), each checked by an
 * iterative scanner that reads strings and comments as the format does. Deep input is a
 * parse-error that says so, at the first level too many, never a caught stack overflow.
 */
import { describe, expect, it } from 'vitest';
import { Lexer } from 'yaml';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { MAX_NESTING, jsonTooDeep, shellTooDeep, tomlTooDeep, yamlTooDeep } from '../../src/sources/nesting.js';
import { parseYaml } from '../../src/sources/yaml-util.js';
import { LineIndex } from '../../src/text.js';
import { emptyModel } from '../../src/model.js';
import type { ScanContext } from '../../src/sources/types.js';

const yaml = (t: string, max = MAX_NESTING) => yamlTooDeep(t, Lexer, max);

describe('the scanners', () => {
  it('YAML: flow brackets, indentation and indicators on a line count; quoted scalars, block scalars and comments do not', () => {
    expect(yaml('a: [[[1]]]\n', 3)).toBe(4); // `a`, `:` and the brackets: the second `[` is level 4
    expect(yaml('a: [[[1]]]\n', 5)).toBeUndefined();
    expect(yaml('a: "[[[[[[" # [[[[[[\nb: \'[[[[[[\'\nc: |\n  [[[[[[\n', 3)).toBeUndefined();
    // a string full of closers cannot hide real nesting
    expect(yaml(`a: "${']'.repeat(50)}" ${'['.repeat(10)}`, 8)).toBeDefined();
    expect(yaml('- - - - a\n', 3)).toBe(4);
    const indented = Array.from({ length: 10 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    expect(yaml(indented, 10)).toBeDefined();
    expect(yaml(indented, 11)).toBeUndefined();
  });

  it('TOML: arrays, inline tables and headers count; every kind of string and comments do not', () => {
    expect(tomlTooDeep('a = [[[1]]]\n', 2)).toBe(6);
    expect(tomlTooDeep('a = [[[1]]]\n', 3)).toBeUndefined();
    expect(tomlTooDeep(`a = "[[[[\\"[[" # [[[[\nb = '[[[['\nc = """\n[[[[ """\nd = '''[[[['''\n[[t]]\n`, 2)).toBeUndefined();
    expect(tomlTooDeep(`a = "${']'.repeat(50)}" = [${'['.repeat(10)}`, 8)).toBeDefined();
  });

  it('JSON: strings and comments do not count', () => {
    expect(jsonTooDeep('{"a": "[[[[[[", /* [[[[ */ "b": [[1]]}', 3)).toBeUndefined();
    expect(jsonTooDeep('{"a": [[[1]]]}', 3)).toBe(8);
    // at most `max` opening brackets in the whole text: never deeper (the scanner is skipped)
    expect(jsonTooDeep('[[[1]]]', 3)).toBeUndefined();
    expect(jsonTooDeep('[[[[1]]]]', 3)).toBe(3);
    expect(jsonTooDeep('[[["["]]]', 3)).toBeUndefined();
  });

  it('shell: substitutions, subshells, groups and double quotes inside them count; single quotes, escapes and comments do not', () => {
    expect(shellTooDeep('echo $($(a) "$(b "$(c)")")', 3)).toBe(17);
    expect(shellTooDeep('echo $($(a) "$(b "$(c)")")', 6)).toBeUndefined();
    expect(shellTooDeep(String.raw`echo '$($($($(' \( \$\( # $($($($(` + '\necho ok', 1)).toBeUndefined();
    // a quoted closer cannot end a substitution it sits in
    expect(shellTooDeep(`${'$( ")" '.repeat(20)}`, 10)).toBeDefined();
    // many substitutions one after another are not nesting
    expect(shellTooDeep('echo $(a); '.repeat(1000))).toBeUndefined();
    expect(shellTooDeep('case x in a) b;; esac; f() { g; }; (h)')).toBeUndefined();
  });

  it('each reads 2 MiB in one pass (no recursion, no backtracking)', () => {
    const deep = '['.repeat(1 << 20) + ']'.repeat(1 << 20);
    expect(yaml(`a: ${deep}`)).toBe(3 + MAX_NESTING - 2);
    expect(tomlTooDeep(`a = ${deep}`)).toBe(4 + MAX_NESTING);
    expect(jsonTooDeep(deep)).toBe(MAX_NESTING);
  });
});

describe('deep files are a parse-error that says so', () => {
  const run = async (files: Record<string, string>) => (await lint(memoryFs(files))).findings.filter((f) => f.ruleId === 'parse-error').map((f) => `${f.span.file}:${f.span.line}:${f.span.column} ${f.message}`);
  const deep = (n: number, open: string, close: string, inner = '1') => open.repeat(n) + inner + close.repeat(n);

  it.each([
    ['YAML flow collections', { 'compose.yml': `services: ${deep(100_000, '{a: ', '}')}\n` }, [`compose.yml:1:${11 + 4 * (MAX_NESTING - 2)} invalid YAML: nested more than 256 levels deep; not read`]],
    ['YAML block sequences on one line', { '.github/workflows/ci.yml': `jobs: ${'- '.repeat(100_000)}a\n` }, [`.github/workflows/ci.yml:1:${7 + 2 * (MAX_NESTING - 2)} invalid YAML: nested more than 256 levels deep; not read`]],
    ['YAML indentation', { 'compose.yml': `${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')}\n` }, ['compose.yml:256:257 invalid YAML: nested more than 256 levels deep; not read']],
    ['TOML arrays', { 'fly.toml': `a = ${deep(100_000, '[', ']')}\n` }, [`fly.toml:1:${5 + MAX_NESTING} invalid TOML: nested more than 256 levels deep; not read`]],
    ['TOML inline tables (mise.toml, read for version pins)', { 'mise.toml': `a = ${deep(100_000, '{a = ', '}')}\n` }, [`mise.toml:1:${5 + 5 * MAX_NESTING} cannot read mise.toml: nested more than 256 levels deep; not read`]],
    ['JSON (deno.json)', { 'deno.json': deep(100_000, '[', ']') }, [`deno.json:1:${1 + 200} invalid JSON: nested more than 200 levels deep`]],
    ['shell: `$(` nested 1,000 deep (found by the fuzzer)', { 'run.sh': `echo ${'$('.repeat(1000)}x${')'.repeat(1000)}\n` }, [`run.sh:1:${6 + 2 * MAX_NESTING} cannot parse the shell command of \`run.sh\`: nested more than 256 levels deep (command substitutions, subshells, groups); not read`]],
    ['JSON in a Dockerfile HEALTHCHECK', { Dockerfile: `FROM node:20\nHEALTHCHECK CMD ${deep(100_000, '[', ']', '"x"')}\n` }, [`Dockerfile:2:${17 + MAX_NESTING} invalid JSON in HEALTHCHECK: nested more than 256 levels deep; not read`]],
  ])('%s', async (_name, files, want) => {
    expect(await run(files)).toEqual(want);
  });

  it('nesting just under the limit is read', async () => {
    expect(await run({ 'compose.yml': `x: ${deep(200, '[', ']')}\n`, 'fly.toml': `a = ${deep(200, '[', ']')}\n` })).toEqual([]);
  });
});

describe('parseYaml', () => {
  const parse = (text: string) => {
    const model = emptyModel();
    const r = parseYaml({ path: 'a.yaml', text, index: new LineIndex('a.yaml', text) }, { model } as ScanContext, 'kubernetes');
    return { docs: r.docs.map((d) => d.toJS() as unknown), ok: r.ok, problems: model.problems.map((p) => [p.code, p.span.line, p.span.column]) };
  };
  it('gives no document of a file with one too deep, those before it included (the tokens reach the parser as they are checked)', () => {
    const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
    expect(parse(`a: 1\n---\nb: 2\n---\nc: ${deep}\n`)).toEqual({ docs: [], ok: false, problems: [['nesting-budget', 5, 258]] });
    expect(parse(`a: 1\n---\nb: [[1]]\n`)).toEqual({ docs: [{ a: 1 }, { b: [[1]] }], ok: true, problems: [] });
  });
});
