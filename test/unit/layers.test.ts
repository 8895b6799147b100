/**
 * The layering the engineering standards ask for, checked on the source itself: rules import no
 * argv grammar and no other rule; sources carry no container danger list and write no message (a
 * problem or unresolved value is a code plus data, worded in src/messages/); only the query engine
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

/** The properties user-facing wording goes into: a finding's or problem's `message`, a skip's `reason`. */
const WORDING = new Set(['message', 'reason']);

/**
 * `file:line` of every object literal property named `message` or `reason` (`message: …`,
 * shorthand `message`, a method or accessor) in a file: what a source would write wording into.
 */
function messageProperties(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isObjectLiteralExpression(n)) {
      for (const p of n.properties) {
        const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNoSubstitutionTemplateLiteral(p.name)) ? p.name.text : undefined;
        if (name !== undefined && WORDING.has(name)) out.push(`${file}:${src.getLineAndCharacterOfPosition(p.getStart(src)).line + 1}`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
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

  it('no source writes a message: problems and unresolved values are codes plus data, worded by the rules', () => {
    const bad = files('src/sources').flatMap((f) => (GRAPH.get(f) ?? []).filter((x) => x.startsWith('src/messages/')).map((x) => `${f} → ${x}`));
    expect(bad).toEqual([]);
    expect(files('src/sources').flatMap((f) => messageProperties(f))).toEqual([]);
  });

  it('the message check sees a message written back into a source', () => {
    // the shapes a source used to write: a literal, a template, shorthand from a note() helper
    const site = "ctx.model.problems.push({ file: file.path, span, message: `invalid TOML: ${detail}`, source });";
    const note = 'const note = (span: Span, message: string) => out.unresolved.push({ span, message, origin });';
    const helm = "x.push({ span, message: full ? 'more than' : 'never closed', origin });";
    const skip = "(ctx.model.unscanned ??= []).push({ path: file.path, reason: `the bat step at line ${line} is not read` });";
    for (const [f, line] of [['src/sources/toml-util.ts', site], ['src/sources/typescript/worker.ts', note], ['src/sources/helm.ts', helm], ['src/sources/jenkinsfile.ts', skip]] as const) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      expect(messageProperties(f, text)).toEqual([]);
      expect(messageProperties(f, `${text}\n${line}\n`)).toEqual([`${f}:${text.split('\n').length + 1}`]);
    }
    // a type or a property read is not a message written
    expect(messageProperties('x.ts', 'const e = err as { message: string; reason: string }; use(e.message, e.reason); f({ detail: e.message });')).toEqual([]);
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
