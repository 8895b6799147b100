/**
 * The layering the engineering standards ask for, checked on the source itself: rules import no
 * argv grammar and no other rule; sources carry no container danger list and write no message (a
 * problem or unresolved value is a code plus data, worded in src/messages/); only the query engine
 * decides coverage (no path-prefix matching of grant values in rules, audit, semantics, fix, infer);
 * sources, the shell reader and the grammars say why a value is unknown as DynamicReason facts, never
 * as text (src/messages/dynamic.ts words them); the grammars emit each diagnostic and implicit grant as
 * a code plus data, never a sentence (src/messages/grammar.ts words them); the import graph of src/
 * and rules/ has no cycle.
 * Imports are read with the TypeScript parser.
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

/** The properties that say why a value is not known statically (`Token.dynamic`, the TypeScript evaluator's `why`, a NetScript or Sandbox value's `unknown`). */
const DYNAMIC = new Set(['dynamic', 'why', 'unknown']);

/**
 * Whether an expression can evaluate to text written here: a string or template literal, directly
 * or through `?:`, `??`, `||`, `+`, parentheses, `as`, an array's elements or a `.join()` of them.
 * A nested object literal (`{ kind: 'ts', what: 'computed-key' }`) is data, not text.
 */
function yieldsText(e: ts.Expression): boolean {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)) return true;
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) return yieldsText(e.expression);
  if (ts.isConditionalExpression(e)) return yieldsText(e.whenTrue) || yieldsText(e.whenFalse);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.PlusToken) return yieldsText(e.left) || yieldsText(e.right);
    return false;
  }
  if (ts.isArrayLiteralExpression(e)) return e.elements.some((x) => (ts.isSpreadElement(x) ? yieldsText(x.expression) : yieldsText(x)));
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'join') return true;
  return false;
}

/**
 * `file:line` of every place that writes text as the reason a value is unknown: a `dynamic`, `why`
 * or `unknown` property (object literal or assignment) whose value is text, or one declared as `string`.
 */
function dynamicWording(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const at = (n: ts.Node) => out.push(`${file}:${src.getLineAndCharacterOfPosition(n.getStart(src)).line + 1}`);
  const named = (n: ts.PropertyName | ts.BindingName | ts.MemberName) => (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isPrivateIdentifier(n) ? DYNAMIC.has(n.text) : false);
  const visit = (n: ts.Node) => {
    if (ts.isPropertyAssignment(n) && named(n.name) && yieldsText(n.initializer)) at(n);
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && named(n.left.name) && yieldsText(n.right)) at(n);
    else if ((ts.isPropertySignature(n) || ts.isParameter(n)) && named(n.name) && n.type?.kind === ts.SyntaxKind.StringKeyword) at(n);
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

/**
 * `file:line` of every place a grammar would word a diagnostic or an implicit grant: a `diag(…)` call
 * with text where the data goes (after the code; the kind is a `PermKind` literal), a `message` or `reason` property written (object literal,
 * assignment) or declared as `string`. A grammar diagnostic is a code plus `GrammarWording` data.
 */
function grammarWording(file: string, text = readFileSync(join(ROOT, file), 'utf8'), onlyDiag = false): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out = new Set<string>();
  const at = (n: ts.Node) => out.add(`${file}:${src.getLineAndCharacterOfPosition(n.getStart(src)).line + 1}`);
  const named = (n: ts.PropertyName | ts.BindingName | ts.MemberName) => (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isPrivateIdentifier(n) ? WORDING.has(n.text) : false);
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'diag' && n.arguments[1] && yieldsText(n.arguments[1])) at(n);
    else if (onlyDiag) {
      // a source reads error messages (`e as { message: string }`); its own wording check is the one above
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && named(n.left.name) && yieldsText(n.right)) at(n);
    else if ((ts.isPropertySignature(n) || ts.isParameter(n)) && named(n.name) && n.type?.kind === ts.SyntaxKind.StringKeyword) at(n);
    ts.forEachChild(n, visit);
  };
  visit(src);
  if (!onlyDiag) for (const m of messageProperties(file, text)) out.add(m);
  return [...out];
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

  it('no source (nor the shell reader they share) writes a message: problems and unresolved values are codes plus data, worded by the rules', () => {
    const readers = [...files('src/sources'), ...files('src/shell')];
    const bad = readers.flatMap((f) => (GRAPH.get(f) ?? []).filter((x) => x.startsWith('src/messages/')).map((x) => `${f} → ${x}`));
    expect(bad).toEqual([]);
    expect(readers.flatMap((f) => messageProperties(f))).toEqual([]);
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

  it('no grammar words a diagnostic or an implicit grant: they are codes plus data, worded in src/messages/grammar.ts', () => {
    const grammars = files('src/grammar');
    expect(grammars.length).toBeGreaterThan(5);
    expect(grammars.flatMap((f) => (GRAPH.get(f) ?? []).filter((x) => x.startsWith('src/messages/')).map((x) => `${f} → ${x}`))).toEqual([]);
    // the deno.json, node.config.json and NetScript readers build grammar diagnostics too
    expect(grammars.flatMap((f) => grammarWording(f))).toEqual([]);
    expect(files('src/sources').flatMap((f) => grammarWording(f, undefined, true))).toEqual([]);
  });

  it('the grammar wording check sees a message written back into a grammar', () => {
    // the shapes the grammars used to write: a message argument (literal, template, either of two), a reason
    const sites = [
      ['src/grammar/node.ts', "const d = diag('deprecated', '`--policy-integrity` was removed with policies in Node 22.2', tok.span);"],
      ['src/grammar/deno.ts', 'out.diagnostics.push(diag(\'allow-all-conflict\', `\\`--allow-all\\` conflicts with \\`${g.text}\\``, g.span, g.kind, DENO2));'],
      ['src/grammar/deno.ts', "const d = diag('deprecated', since ? 'deprecated since 1.40' : 'deprecated', span, undefined, DENO2);"],
      ['src/grammar/node.ts', "const o = { implicitAll: { reason: 'the Node permission model is not enabled (no `--permission`)' } };"],
      ['src/grammar/deno.ts', 'out.implicitAll.reason = `\\`deno ${sub}\\` always runs with all permissions`;'],
      ['src/grammar/permissions.ts', 'interface Old { code: string; message: string }'],
      ['src/sources/deno-json.ts', "diagnostics.push(diag('empty-value', 'a permission set must be an object', spanOf(file, setNode)));"],
    ] as const;
    for (const [f, line] of sites) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      const source = f.startsWith('src/sources/');
      expect(grammarWording(f, text, source)).toEqual([]);
      expect(grammarWording(f, `${text}\n${line}\n`, source), line).toEqual([`${f}:${text.split('\n').length + 1}`]);
    }
    // data is not wording: a code, a wording id with the flag as written, a refusal from a helper
    expect(grammarWording('x.ts', "diag(valueErrorCode(k, v), err, span, k); diag('unknown-flag', { w: 'deno-unknown-flag', subcommand: sub, flag: `-${letter}` }, span); const m = grammarMessage(d);")).toEqual([]);
  });

  it('no source, shell reader or grammar words why a value is unknown: `dynamic`, `why` and `unknown` are DynamicReason facts', () => {
    const places = [...files('src/sources'), ...files('src/shell'), ...files('src/grammar')];
    expect(places.length).toBeGreaterThan(40);
    expect(places.flatMap((f) => dynamicWording(f))).toEqual([]);
  });

  it('the reason check sees wording written back into a source, the shell reader or a grammar', () => {
    // the shapes these files used to write: a literal, a template, a list joined into text, a string-typed field
    const sites = [
      ['src/sources/supervisord.ts', "const w = words.map((t) => ({ ...t, dynamic: 'supervisor expansion %(…)s' }));"],
      ['src/sources/helm.ts', 'const h = { ...t, value, dynamic: `Helm template ${exprs.join(\', \')}` };'],
      ['src/sources/jenkinsfile.ts', "if (why.length) tok.dynamic = why.join(', ');"],
      ['src/sources/kubernetes.ts', "out.dynamic = tok.dynamic ?? `Kubernetes variable $(${name})`;"],
      ['src/sources/typescript/values.ts', "const u = { t: 'unknown', why: c ? 'a computed key' : 'a pattern', span, text };"],
      ['src/sources/typescript/netscript.ts', "acc.unknown.push({ why: ['a spread argument'], span, text });"],
      ['src/sources/typescript/sandbox.ts', "const h = { hosts: [], unknown: v.t === 'unknown' ? v.why : 'not a list of hosts' };"],
      ['src/shell/index.ts', "interface Part { t: 'dynamic'; text: string; why: string }"],
      ['src/grammar/command.ts', 'function user(dynamic: string) {}'],
    ] as const;
    for (const [f, line] of sites) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      expect(dynamicWording(f, text)).toEqual([]);
      expect(dynamicWording(f, `${text}\n${line}\n`), line).toEqual([`${f}:${text.split('\n').length + 1}`]);
    }
    // facts, reads and tests are not wording
    expect(dynamicWording('x.ts', "const a = { dynamic: [{ kind: 'template', of: 'helm', exprs }] }; const b = { why: { kind: 'ts', what: 'pattern' } }; if (t.dynamic) f(t.why); x.dynamic = reasons;")).toEqual([]);
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
