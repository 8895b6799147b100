import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runRules } from '../../src/engine.js';
import { emptyModel, type Invocation, type PermKind, type Span } from '../../src/model.js';
import type { Rule, RuleFinding, RuleMeta } from '../../src/rule-api.js';
import { RULES } from '../../rules/index.js';
import { ROOT } from '../helpers.js';

const span = (line: number, column: number, endColumn: number): Span => ({ file: 'x', line, column, endLine: line, endColumn });
const subject = (id: string) => ({ id, type: 'invocation', context: { kind: 'deployment' }, origin: { file: 'x', span: span(1, 1, 2), source: 'shell' } }) as unknown as Invocation;
const A = subject('a');
const B = subject('b');

function rule(meta: Partial<RuleMeta> & { id: string }, found: RuleFinding[]): Rule {
  return { meta: { level: 'warning', severity: 1, category: 'grant', description: meta.id, ...meta }, check: () => found };
}
const at = (s: Invocation, line: number, kind?: PermKind, col = 1): RuleFinding => ({ span: span(line, col, col + 2), message: `m${line}`, subject: s, ...(kind ? { kind } : {}) });
const ids = (rules: Rule[]) => runRules(emptyModel(), rules).findings.map((f) => `${f.ruleId}@${f.span.line}`);

describe('engine: subsumption declared in rule metadata', () => {
  it('subject scope: a finding hides the named rules on the same subject only', () => {
    const all = rule({ id: 'wide', subsumes: [{ rules: ['narrow'], scope: 'subject' }] }, [at(A, 1)]);
    const narrow = rule({ id: 'narrow' }, [at(A, 2), at(B, 3)]);
    const other = rule({ id: 'other' }, [at(A, 4)]);
    expect(ids([all, narrow, other])).toEqual(['wide@1', 'narrow@3', 'other@4']);
  });

  it('subject-kind scope needs the same permission kind; subsumedBy declares the relation from the other side', () => {
    const unscoped = rule({ id: 'bare' }, [at(A, 1, 'read')]);
    const place = rule({ id: 'place', subsumedBy: [{ rules: ['bare'], scope: 'subject-kind' }] }, [at(A, 2, 'read'), at(A, 3, 'write'), at(B, 4, 'read'), at(A, 5)]);
    expect(ids([unscoped, place])).toEqual(['bare@1', 'place@3', 'place@4', 'place@5']);
  });

  it('span scope by category: a mistake hides grant findings on an overlapping span, on any subject, but not other mistakes', () => {
    const mistake = rule({ id: 'mistake', category: 'mistake', subsumes: [{ category: 'grant', scope: 'span' }] }, [at(A, 1, undefined, 5)]);
    const grant = rule({ id: 'grant' }, [at(B, 1, undefined, 6), at(A, 1, undefined, 20), at(A, 2, undefined, 5)]);
    const other = rule({ id: 'other-mistake', category: 'mistake' }, [at(A, 1, undefined, 5)]);
    expect(ids([mistake, grant, other])).toEqual(['mistake@1', 'other-mistake@1', 'grant@1', 'grant@2']);
  });

  it('a rule never hides its own findings, and winners count even when they are hidden themselves', () => {
    const self = rule({ id: 'self', subsumes: [{ rules: ['self'], scope: 'subject' }] }, [at(A, 1), at(A, 2)]);
    expect(ids([self])).toEqual(['self@1', 'self@2']);
    const top = rule({ id: 'top', subsumes: [{ rules: ['mid'], scope: 'subject' }] }, [at(A, 1)]);
    const mid = rule({ id: 'mid', subsumes: [{ rules: ['low'], scope: 'subject-kind' }] }, [at(A, 2, 'write')]);
    const low = rule({ id: 'low' }, [at(A, 3, 'write')]);
    expect(ids([top, mid, low])).toEqual(['top@1']);
  });

  it('the engine names no rule: every id it used to hard-code is declared by the rules', () => {
    const engine = readFileSync(resolve(ROOT, 'src/engine.ts'), 'utf8');
    expect(RULES.map((r) => r.meta.id).filter((id) => engine.includes(`'${id}'`))).toEqual([]);
    const declared = RULES.filter((r) => r.meta.subsumes?.length).map((r) => r.meta.id);
    expect(declared).toEqual(['allow-all', 'unscoped-grant', 'permission-model-disabled', 'ineffective-flag', 'invalid-permission']);
  });
});
