/**
 * The layering the engineering standards ask for, checked on the source itself: rules import no
 * argv grammar and no other rule; sources carry no container danger list; only the query engine
 * decides coverage (no path-prefix matching of grant values in rules, audit, semantics, fix, infer);
 * the import graph of src/ and rules/ has no cycle. Imports are read with the TypeScript parser.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f).split('\\').join('/'));
}

/**
 * Repo-relative paths of the local modules a file imports at run time (`.js` specifiers mapped to
 * `.ts`); `import type` and `export type` take no part in loading and are left out.
 */
function importsOf(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, false);
  const specs: string[] = [];
  for (const st of src.statements) {
    if (ts.isImportDeclaration(st) && !st.importClause?.isTypeOnly && ts.isStringLiteral(st.moduleSpecifier)) specs.push(st.moduleSpecifier.text);
    if (ts.isExportDeclaration(st) && !st.isTypeOnly && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) specs.push(st.moduleSpecifier.text);
  }
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).split('\\').join('/').replace(/\.js$/, '.ts'));
}

const ALL = [...files('src'), ...files('rules')];
const GRAPH = new Map(ALL.map((f) => [f, importsOf(f).filter((x) => ALL.includes(x))]));

describe('layers', () => {
  it('reads the whole tree', () => {
    expect(ALL.length).toBeGreaterThan(100);
    expect(GRAPH.get('rules/secret-exposure.ts')).toContain('src/semantics/paths.ts');
  });

  it('no rule imports an argv grammar (src/grammar/{deno,node,command}) or another rule', () => {
    const bad: string[] = [];
    for (const f of files('rules')) {
      if (f === 'rules/index.ts') continue;
      for (const x of GRAPH.get(f) ?? []) {
        if (/^src\/grammar\/(deno|node|command)\.ts$/.test(x) || (x.startsWith('rules/') && x !== f)) bad.push(`${f} → ${x}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no source imports what container settings mean, a level or the rule API', () => {
    const bad = files('src/sources').flatMap((f) => (GRAPH.get(f) ?? []).filter((x) => x === 'src/semantics/container.ts' || x === 'src/rule-api.ts' || x === 'src/engine.ts' || x.startsWith('rules/')).map((x) => `${f} → ${x}`));
    expect(bad).toEqual([]);
    for (const f of files('src/sources')) expect(readFileSync(join(ROOT, f), 'utf8'), f).not.toMatch(/\blevel:\s*'(error|warning|note)'/);
  });

  it('only the query engine decides coverage: no grant value is matched by path prefix elsewhere', () => {
    // `x.startsWith(`${y}/`)` over grant values is how coverage leaks out of the engine
    const places = [...files('rules'), ...files('src/audit'), ...files('src/semantics'), ...files('src/fix'), ...files('src/infer')];
    const leaks: string[] = [];
    for (const f of places) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      text.split('\n').forEach((line, i) => {
        if (/\b(scope|allow|deny|grant)\b[^\n]*\.startsWith\(`\$\{/.test(line)) leaks.push(`${f}:${i + 1}`);
      });
    }
    expect(leaks).toEqual([]);
  });

  it('the import graph has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const x of GRAPH.get(f) ?? []) {
        const s = state.get(x);
        if (s === 'open') cycles.push([...stack.slice(stack.indexOf(x)), x].join(' → '));
        else if (!s) visit(x);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of ALL) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
