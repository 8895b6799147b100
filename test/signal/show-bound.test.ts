/**
 * The bound a run's selection relies on to leave work out (src/persona.ts `mayShow`, src/lint.ts
 * `selection`): a rule's findings are never surer than its `maxConfidence` (the engine caps them),
 * and when `mayShow` says no, `selectForPersona` keeps none of them whatever their level, role,
 * context or kind. Checked over every rule's meta, so a rule change that could show a finding the
 * bound says cannot be shown fails here instead of being hidden silently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodeRole, Confidence, ContextKind, Finding, Level, PermKind } from '../../src/model.js';
import { emptyModel } from '../../src/model.js';
import type { Rule } from '../../src/rule-api.js';
import { runRules } from '../../src/engine.js';
import { CONFIDENCES, PERSONAS, annotate, mayShow, mayShowAt, personaOf, selectForPersona } from '../../src/persona.js';
import { RULES } from '../../rules/index.js';
import { ROOT } from '../helpers.js';

const rank = (c: Confidence) => CONFIDENCES.indexOf(c);
const LEVELS: Level[] = ['note', 'warning', 'error'];
const ROLES: (CodeRole | undefined)[] = [undefined, 'production', 'development', 'test', 'fixture', 'example', 'generated', 'vendored'];
const CONTEXTS: (ContextKind | undefined)[] = [undefined, 'deployment', 'build', 'ci', 'development', 'test'];
const KINDS: (PermKind | undefined)[] = [undefined, 'read', 'write', 'net', 'run', 'ffi'];

describe('the confidence bound of every rule', () => {
  it("a rule's default confidence never exceeds its maxConfidence", () => {
    for (const r of RULES) {
      const max = r.meta.maxConfidence ?? 'high';
      expect(rank(r.meta.confidence ?? 'high'), r.meta.id).toBeLessThanOrEqual(rank(max));
    }
  });

  it('every rule that reads model.inferences says so (lint() builds section G only for those), and bounds its confidence', () => {
    for (const r of RULES) {
      const file = join(ROOT, 'rules', `${r.meta.id}.ts`);
      const reads = /\binferences\b/.test(readFileSync(file, 'utf8'));
      expect(!!r.meta.readsInferences, r.meta.id).toBe(reads);
    }
    const readers = RULES.filter((r) => r.meta.readsInferences).map((r) => r.meta.id);
    expect(readers.sort()).toEqual(['over-grant', 'under-grant']);
    // the default persona shows none of them: the reason a default run leaves section G out
    for (const id of readers) expect(mayShow(RULES.find((r) => r.meta.id === id)!.meta)).toBe(false);
  });

  it('when mayShow says no, selectForPersona keeps no finding of the rule, whatever its level, role, context, kind or confidence up to the bound', () => {
    let checked = 0;
    for (const r of RULES) {
      const max = r.meta.maxConfidence ?? 'high';
      for (const persona of PERSONAS) {
        for (const minConfidence of [undefined, ...CONFIDENCES]) {
          const sel = { persona, ...(minConfidence ? { minConfidence } : {}) };
          const findings: Finding[] = [];
          for (const level of LEVELS)
            for (const role of ROLES)
              for (const context of CONTEXTS)
                for (const kind of KINDS)
                  for (const confidence of CONFIDENCES.filter((c) => rank(c) <= rank(max))) {
                    const f: Finding = { ruleId: r.meta.id, level, message: 'm', span: { file: 'a', line: 1, column: 1, endLine: 1, endColumn: 2 }, confidence };
                    if (role) f.role = role;
                    if (context) f.context = context;
                    if (kind) f.kind = kind;
                    f.persona = personaOf(f);
                    findings.push(f);
                  }
          const keptFindings = selectForPersona(findings, sel);
          // mayShowAt (work started before the findings exist) holds for every finding shown
          expect(keptFindings.filter((f) => !mayShowAt(f.ruleId, f.level, f.context, sel)).map((f) => `${f.ruleId} ${f.level} ${f.context} ${persona}`)).toEqual([]);
          const kept = keptFindings.length;
          if (!mayShow(r.meta, sel)) {
            expect(kept, `${r.meta.id} ${persona} ${minConfidence}`).toBe(0);
            checked++;
          } else expect(kept, `${r.meta.id} ${persona} ${minConfidence}`).toBeGreaterThan(0);
        }
      }
    }
    // (some combinations are refused: over-grant and under-grant in regular, and every rule above its bound)
    expect(checked).toBeGreaterThan(0);
  });

  it('the engine caps a finding’s own confidence at its rule’s maxConfidence, and annotate never raises it', () => {
    const model = emptyModel();
    const sure: Rule = {
      meta: { id: 'sure', level: 'error', severity: 1, category: 'other', confidence: 'low', maxConfidence: 'low', description: 'd' },
      check: () => [{ span: { file: 'a', line: 1, column: 1, endLine: 1, endColumn: 2 }, message: 'm', confidence: 'high' }],
    };
    const { findings } = runRules(model, [sure]);
    expect(findings.map((f) => f.confidence)).toEqual(['low']);
    const shown = annotate(findings, { model, rules: [sure.meta] });
    expect(shown.map((f) => [f.confidence, f.persona])).toEqual([['low', 'pedantic']]);
    expect(selectForPersona(shown, { persona: 'regular', minConfidence: 'low' })).toEqual([]);
    // without the bound the same finding is high and shown
    const unbounded: Rule = { ...sure, meta: { ...sure.meta, maxConfidence: undefined } };
    const again = annotate(runRules(model, [unbounded]).findings, { model, rules: [unbounded.meta] });
    expect(selectForPersona(again, { persona: 'regular' })).toHaveLength(1);
  });
});
