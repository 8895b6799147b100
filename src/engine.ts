/**
 * The engine: runs every enabled rule over the model, applies context levels and config
 * levels, drops findings another finding already covers ("one risk, one finding"; "a mistake
 * outranks its consequence") as the rules' metadata declares it (`subsumes` / `subsumedBy`), and
 * sorts deterministically.
 */
import type { ContextKind, Finding, Level, Model } from './model.js';
import type { Rule, RuleContext, RuleFinding, RuleMeta, RuleSelector, Subsumption, Trusted } from './rule-api.js';
import { compareSpans } from './text.js';
import { CONFIDENCES } from './persona.js';

export type LevelSetting = Level | 'off';

/** One rule's settings from the config: a level, options, and exact levels per context. */
export interface RuleSetting {
  level?: LevelSetting;
  options?: Record<string, unknown>;
  /** The level in a context, exactly (the context does not lower it further). */
  contexts?: Partial<Record<ContextKind, LevelSetting>>;
}

/** Settings for the files an override's globs match; later overrides win. */
export interface EngineOverride {
  matches(file: string): boolean;
  rules: Record<string, RuleSetting>;
}

export interface EngineOptions {
  /** Rule id → level or 'off' (from config and --rule). The level replaces the catalogue level; the context still lowers grant rules. */
  levels?: Record<string, LevelSetting>;
  /** Rule id → exact level per context (config `rules.<id>.contexts`). */
  contextLevels?: Record<string, Partial<Record<ContextKind, LevelSetting>>>;
  /** Per-file overrides: returns the final level for (rule, file) or undefined. */
  levelFor?: (ruleId: string, file: string) => LevelSetting | undefined;
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** Config `overrides`, in order (later ones win), applied over the settings above. */
  overrides?: EngineOverride[];
  trusted?: Trusted;
}

const ORDER: Level[] = ['note', 'warning', 'error'];

export function lower(level: Level, steps: number): Level {
  return ORDER[Math.max(0, ORDER.indexOf(level) - steps)]!;
}

/** The level of a grant rule's finding in a context (rules.md "Contexts and levels"). */
export function levelInContext(level: Level, context: ContextKind | undefined): Level {
  switch (context) {
    case 'build':
    case 'ci':
    case 'development':
      return lower(level, 1);
    case 'test':
      return 'note';
    default:
      return level;
  }
}

function overlaps(a: Finding['span'], b: Finding['span']): boolean {
  if (a.file !== b.file) return false;
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return before(a.line, a.column, b.endLine, b.endColumn - 1) && before(b.line, b.column, a.endLine, a.endColumn - 1);
}

function selects(sel: RuleSelector, meta: RuleMeta): boolean {
  return !!sel.rules?.includes(meta.id) || (sel.category !== undefined && sel.category === meta.category);
}

/**
 * Whether a finding of `meta` can drop another rule's finding (it wins a subsumption the rules
 * declare, from either side): then its findings change what the others report even when hidden.
 */
export function maySubsumeOthers(meta: RuleMeta, rules: readonly Rule[]): boolean {
  if (meta.subsumes?.some((s) => rules.some((r) => r.meta.id !== meta.id && selects(s, r.meta)))) return true;
  return rules.some((r) => r.meta.id !== meta.id && !!r.meta.subsumedBy?.some((s) => selects(s, meta)));
}

/** What two findings must share under a scope, as a key; undefined when the finding has none. */
function scopeKey(scope: 'subject' | 'subject-kind', f: RuleFinding): string | undefined {
  if (!f.subject) return undefined;
  if (scope === 'subject') return f.subject.id;
  return f.kind ? `${f.subject.id}:${f.kind}` : undefined;
}

/**
 * Indexes of the raw findings that another finding makes redundant, per the relations the
 * rules declare. Winners are taken from all raw findings (a winner may itself be redundant:
 * `-A` hides `--allow-write`'s `unscoped-grant`, which would hide its section-B findings).
 * A rule never subsumes its own findings.
 */
function subsumed(raw: { rule: Rule; f: RuleFinding }[], rules: Rule[]): Set<number> {
  const relations: { winner: RuleSelector; loser: RuleSelector; scope: Subsumption['scope'] }[] = [];
  for (const r of rules) {
    for (const s of r.meta.subsumes ?? []) relations.push({ winner: { rules: [r.meta.id] }, loser: s, scope: s.scope });
    for (const s of r.meta.subsumedBy ?? []) relations.push({ winner: s, loser: { rules: [r.meta.id] }, scope: s.scope });
  }
  const out = new Set<number>();
  for (const rel of relations) {
    const winners = raw.filter((x) => selects(rel.winner, x.rule.meta));
    if (!winners.length) continue;
    const keys = rel.scope === 'span' ? undefined : new Map<string, Set<string>>();
    if (keys) {
      for (const w of winners) {
        const k = scopeKey(rel.scope as 'subject' | 'subject-kind', w.f);
        if (k !== undefined) keys.set(k, (keys.get(k) ?? new Set()).add(w.rule.meta.id));
      }
    }
    raw.forEach((x, i) => {
      if (out.has(i) || !selects(rel.loser, x.rule.meta)) return;
      const id = x.rule.meta.id;
      if (keys) {
        const k = scopeKey(rel.scope as 'subject' | 'subject-kind', x.f);
        const by = k === undefined ? undefined : keys.get(k);
        if (by && [...by].some((w) => w !== id)) out.add(i);
      } else if (winners.some((w) => w.rule.meta.id !== id && overlaps(w.f.span, x.f.span))) out.add(i);
    });
  }
  return out;
}

export interface EngineResult {
  findings: Finding[];
  /** Per rule: how many findings it made before filtering (for diagnostics). */
  counts: Record<string, number>;
}

/** The settings that apply to a rule in a file: the global ones first, then each matching override. */
function chain(id: string, file: string, options: EngineOptions): RuleSetting[] {
  const out: RuleSetting[] = [];
  const global: RuleSetting = {};
  if (options.levels?.[id] !== undefined) global.level = options.levels[id];
  if (options.contextLevels?.[id]) global.contexts = options.contextLevels[id];
  if (options.ruleOptions?.[id]) global.options = options.ruleOptions[id];
  out.push(global);
  for (const o of options.overrides ?? []) {
    const s = o.rules[id];
    if (s && o.matches(file)) out.push(s);
  }
  return out;
}

/**
 * The level of a finding after the config: the configured level replaces the catalogue one,
 * the context lowers grant rules (rules.md "Contexts and levels"), and a level configured for
 * the context is taken exactly. `off` drops the finding.
 */
export function resolveLevel(
  rule: { id: string; category: RuleMeta['category'] },
  level: Level,
  file: string,
  context: ContextKind | undefined,
  options: EngineOptions,
): LevelSetting {
  const settings = chain(rule.id, file, options);
  const legacy = options.levelFor?.(rule.id, file);
  if (legacy !== undefined) return legacy;
  let base: LevelSetting | undefined;
  let exact: LevelSetting | undefined;
  // later settings win: a level set later also replaces levels set earlier for the context
  for (const s of settings) {
    if (s.level !== undefined) {
      base = s.level;
      exact = undefined;
    }
    const c = context ? s.contexts?.[context] : undefined;
    if (c !== undefined) exact = c;
  }
  if (exact !== undefined) return exact;
  if (base === 'off') return 'off';
  const l = base ?? level;
  return rule.category === 'grant' ? levelInContext(l, context) : l;
}

/** False only when no setting anywhere can turn the rule on. */
function mayFire(id: string, options: EngineOptions): boolean {
  if (options.levelFor) return true;
  const anyOn = (s: RuleSetting | undefined) =>
    !!s && ((s.level !== undefined && s.level !== 'off') || Object.values(s.contexts ?? {}).some((l) => l !== 'off'));
  if (options.levels?.[id] !== 'off') return true;
  if (Object.values(options.contextLevels?.[id] ?? {}).some((l) => l !== 'off')) return true;
  return (options.overrides ?? []).some((o) => anyOn(o.rules[id]));
}

export function runRules(model: Model, rules: Rule[], options: EngineOptions = {}): EngineResult {
  const ctx: RuleContext = { model, options: {}, trusted: options.trusted ?? { hosts: [], paths: [], programs: [] } };
  const raw: { rule: Rule; f: RuleFinding }[] = [];
  const counts: Record<string, number> = {};
  for (const rule of rules) {
    const id = rule.meta.id;
    if (!mayFire(id, options)) continue;
    // options may differ per file (overrides): run once per distinct options object and keep,
    // for each file, the findings of the options that apply there
    const base = options.ruleOptions?.[id] ?? {};
    const variants = [base, ...(options.overrides ?? []).map((o) => o.rules[id]?.options).filter((x): x is Record<string, unknown> => !!x)];
    const optionsFor = (file: string) => {
      let o = base;
      for (const s of chain(id, file, options)) if (s.options) o = s.options;
      return o;
    };
    for (const [i, opts] of variants.entries()) {
      const found = rule.check({ ...ctx, options: opts });
      if (i === 0) counts[id] = found.length;
      for (const f of found) if (variants.length === 1 || optionsFor(f.span.file) === opts) raw.push({ rule, f });
    }
  }

  // one risk, one finding; a mistake outranks its consequence
  const redundant = subsumed(raw, rules);

  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const [i, { rule, f }] of raw.entries()) {
    const id = rule.meta.id;
    if (redundant.has(i)) continue;

    const context = f.subject?.context.kind ?? f.context;
    const level = resolveLevel(rule.meta, f.level ?? rule.meta.level, f.span.file, context, options);
    if (level === 'off') continue;

    const finding: Finding = { ruleId: id, level, message: f.message, span: f.span, securitySeverity: f.severity ?? rule.meta.severity };
    // a task that a deployment or CI file runs: the callers are related locations of every finding on it
    const related = [...(f.related ?? [])];
    for (const o of f.subject?.context.calledBy ?? []) {
      if (related.some((r) => r.span.file === o.span.file && r.span.line === o.span.line && r.span.column === o.span.column)) continue;
      related.push({ span: o.span, message: `runs ${f.subject?.origin.name !== undefined ? `\`${f.subject.origin.name}\`` : 'this'} in a ${context} context` });
    }
    if (related.length) finding.related = related;
    if (f.subject) {
      finding.subject = { id: f.subject.id, source: f.subject.origin.source };
      if (f.subject.origin.name !== undefined) finding.subject.name = f.subject.origin.name;
    }
    if (context) finding.context = context;
    // (a rule's own bound: a finding is never surer than its rule's maxConfidence, src/persona.ts mayShow relies on it)
    const max = rule.meta.maxConfidence;
    if (f.confidence) finding.confidence = max && CONFIDENCES.indexOf(f.confidence) > CONFIDENCES.indexOf(max) ? max : f.confidence;
    if (f.kind) finding.kind = f.kind;
    if (f.cause) finding.cause = f.cause;
    if (f.details?.length) finding.details = f.details;
    const key = `${id}|${f.span.file}|${f.span.line}|${f.span.column}|${f.span.endLine}|${f.span.endColumn}|${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  findings.sort((a, b) => compareSpans(a.span, b.span) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return { findings, counts };
}
