import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/model.js';
import { REGULAR_CONTEXTS, groupByCause, onePerMatrixPlace, personaOf, selectForPersona } from '../../src/persona.js';
import { RULES } from '../../rules/index.js';
import { ROOT } from '../helpers.js';

const span = (file: string, line: number) => ({ file, line, column: 1, endLine: line, endColumn: 5 });
const finding = (over: Partial<Finding>): Finding => ({ ruleId: 'allow-all', level: 'warning', message: 'm', span: span('deno.json', 1), ...over });

describe('personas', () => {
  it('regular needs a warning or error, medium confidence or more, production or development code, and the rule’s contexts', () => {
    expect(personaOf(finding({ context: 'ci' }))).toBe('regular');
    expect(personaOf(finding({ context: 'development' }))).toBe('pedantic');
    expect(personaOf(finding({ ruleId: 'ineffective-flag', level: 'error', context: 'development' }))).toBe('regular');
    expect(personaOf(finding({ context: 'ci', level: 'note' }))).toBe('pedantic');
    expect(personaOf(finding({ context: 'ci', confidence: 'low' }))).toBe('pedantic');
    expect(personaOf(finding({ context: 'ci', role: 'example' }))).toBe('pedantic');
    expect(personaOf(finding({ context: 'ci', role: 'vendored' }))).toBe('auditor');
    // in CI only broad unscoped grants (write, run, ffi) are for the regular persona
    expect(personaOf(finding({ ruleId: 'unscoped-grant', context: 'ci', kind: 'write' }))).toBe('regular');
    expect(personaOf(finding({ ruleId: 'unscoped-grant', context: 'ci', kind: 'read' }))).toBe('pedantic');
    expect(personaOf(finding({ ruleId: 'unscoped-grant', context: 'deployment', kind: 'read' }))).toBe('regular');
  });

  it('selects by persona and minimum confidence', () => {
    const fs = [finding({ context: 'ci' }), finding({ context: 'ci', confidence: 'medium' }), finding({ level: 'note' }), finding({ role: 'vendored' })].map((f) => ({ ...f, persona: personaOf(f) }));
    expect(selectForPersona(fs)).toHaveLength(2);
    expect(selectForPersona(fs, { minConfidence: 'high' })).toHaveLength(1);
    expect(selectForPersona(fs, { persona: 'pedantic' })).toHaveLength(3);
    expect(selectForPersona(fs, { persona: 'auditor' })).toHaveLength(4);
  });
});

describe('one finding per cause', () => {
  const cause = { key: 'root:deno.json', span: span('deno.json', 3), message: 'deno.json does not freeze the lockfile' };
  it('findings that share a cause become one at the cause, the most severe level and strongest context, each as a related location', () => {
    const out = groupByCause([
      finding({ ruleId: 'unfrozen-lockfile', span: span('deno.json', 10), cause, context: 'ci', subject: { id: 'a', source: 'deno.json', name: 'lint' } }),
      finding({ ruleId: 'unfrozen-lockfile', span: span('Dockerfile', 2), cause, context: 'deployment', level: 'error' }),
      finding({ ruleId: 'unfrozen-lockfile', span: span('Dockerfile', 3), cause, context: 'ci' }),
      finding({ ruleId: 'allow-all', span: span('deno.json', 10) }),
    ]);
    expect(out.map((f) => `${f.ruleId} ${f.span.file}:${f.span.line} ${f.level} ${f.context}`)).toEqual(['unfrozen-lockfile deno.json:3 error deployment', 'allow-all deno.json:10 warning undefined']);
    expect(out[0]!.message).toBe('deno.json does not freeze the lockfile — 3 runs: `lint`, Dockerfile:2, Dockerfile:3');
    expect(out[0]!.related?.map((r) => `${r.span.file}:${r.span.line}`)).toEqual(['deno.json:10', 'Dockerfile:2', 'Dockerfile:3']);
  });

  it('a cause behind fewer than three findings, and test-code findings, stay where they are', () => {
    const two = [finding({ ruleId: 'unfrozen-lockfile', span: span('deno.json', 10), cause }), finding({ ruleId: 'unfrozen-lockfile', span: span('deno.json', 11), cause })];
    expect(groupByCause(two)).toEqual(two);
    const t = [finding({ ruleId: 'unfrozen-lockfile', span: span('a_test.ts', 1), cause, role: 'test' }), finding({ ruleId: 'unfrozen-lockfile', span: span('b_test.ts', 1), cause, role: 'test' })];
    expect(groupByCause(t)).toEqual(t);
  });
});

describe('documentation', () => {
  it('every rule documents its confidence and what each persona shows', () => {
    for (const r of RULES) {
      const doc = readFileSync(join(ROOT, 'docs/rules', `${r.meta.id}.md`), 'utf8');
      const section = doc.slice(doc.indexOf('## Personas and confidence'));
      expect(section, r.meta.id).toContain(`**Confidence**: ${r.meta.confidence ?? 'high'}`);
      for (const p of ['`regular`', '`pedantic`', '`auditor`']) expect(section, r.meta.id).toContain(p);
      for (const c of REGULAR_CONTEXTS[r.meta.id] ?? []) expect(section, r.meta.id).toContain(`\`${c}\``);
    }
  });
});

describe('one finding per place for a workflow matrix', () => {
  const at = (line: number, column: number) => ({ file: '.github/workflows/ci.yml', line, column, endLine: line, endColumn: column + 2 });
  const m = (combo: string, level: Finding['level'], span = at(45, 23)): Finding => ({
    ruleId: 'allow-all',
    level,
    message: `-A for ${combo}`,
    span,
    subject: { id: `.github/workflows/ci.yml#test/3#matrix:${combo}`, source: 'github-actions' },
  });

  it('the readings of one line under a matrix are one finding at the highest level, naming the other combinations', () => {
    const input = [m('matrix.v=5', 'warning'), m('matrix.v=6', 'error'), m('matrix.v=7', 'warning')];
    const out = onePerMatrixPlace(input);
    expect(out.map((f) => `${f.span.line}:${f.span.column} ${f.level} ${f.message}`)).toEqual(['45:23 error -A for matrix.v=5 (also for 2 more matrix combinations: matrix.v=6; matrix.v=7)']);
    expect(input[0]!.level).toBe('warning'); // the findings given are not changed
  });

  it('readings at different places (a matrix value written where a flag goes) and other rules stay apart', () => {
    const out = onePerMatrixPlace([m('matrix.f=-A', 'warning', at(8, 41)), m('matrix.f=-A --x', 'warning', at(8, 44)), { ...m('matrix.v=5', 'warning'), ruleId: 'unfrozen-lockfile' }, m('matrix.v=5', 'warning')]);
    expect(out.map((f) => `${f.ruleId} ${f.span.line}:${f.span.column}`)).toEqual(['allow-all 8:41', 'allow-all 8:44', 'unfrozen-lockfile 45:23', 'allow-all 45:23']);
  });
});
