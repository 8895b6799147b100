/**
 * The engine: runs every enabled rule over the model, applies context levels and config
 * levels, drops findings another finding already covers ("one risk, one finding"; "a mistake
 * outranks its consequence"), and sorts deterministically.
 */
import type { ContextKind, Finding, Level, Model } from './model.js';
import type { Rule, RuleContext, RuleFinding, Trusted } from './rule-api.js';
import { compareSpans } from './text.js';

export type LevelSetting = Level | 'off';

export interface EngineOptions {
  /** Rule id → level or 'off' (from config and --rule). */
  levels?: Record<string, LevelSetting>;
  /** Per-file overrides: returns a level for (rule, file) or undefined. */
  levelFor?: (ruleId: string, file: string) => LevelSetting | undefined;
  ruleOptions?: Record<string, Record<string, unknown>>;
  trusted?: Trusted;
}

const ORDER: Level[] = ['note', 'warning', 'error'];

export function lower(level: Level, steps: number): Level {
  return ORDER[Math.max(0, ORDER.indexOf(level) - steps)]!;
}

/** The level of a grant rule's finding in a context (rules.md "Contexts and levels"). */
export function levelInContext(level: Level, context: ContextKind | undefined): Level {
  switch (context) {
    case 'ci':
    case 'development':
      return lower(level, 1);
    case 'test':
      return 'note';
    default:
      return level;
  }
}

/** Rules whose findings allow-all on the same subject makes redundant. */
const SUBSUMED_BY_ALLOW_ALL = new Set([
  'unscoped-grant',
  'subprocess-escalation',
  'ffi-grant',
  'unrestricted-import',
  'secret-exposure',
  'self-modification',
  'sensitive-network',
  'wildcard-host',
]);
const SECTION_B = new Set(['secret-exposure', 'self-modification', 'sensitive-network', 'wildcard-host']);
const MISTAKES = new Set(['ineffective-flag', 'invalid-permission', 'permission-model-disabled']);

function overlaps(a: Finding['span'], b: Finding['span']): boolean {
  if (a.file !== b.file) return false;
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return before(a.line, a.column, b.endLine, b.endColumn - 1) && before(b.line, b.column, a.endLine, a.endColumn - 1);
}

export interface EngineResult {
  findings: Finding[];
  /** Per rule: how many findings it made before filtering (for diagnostics). */
  counts: Record<string, number>;
}

export function runRules(model: Model, rules: Rule[], options: EngineOptions = {}): EngineResult {
  const ctx: RuleContext = { model, options: {}, trusted: options.trusted ?? { hosts: [], paths: [], programs: [] } };
  const raw: { rule: Rule; f: RuleFinding }[] = [];
  const counts: Record<string, number> = {};
  for (const rule of rules) {
    if (options.levels?.[rule.meta.id] === 'off' && !options.levelFor) continue;
    const found = rule.check({ ...ctx, options: options.ruleOptions?.[rule.meta.id] ?? {} });
    counts[rule.meta.id] = found.length;
    for (const f of found) raw.push({ rule, f });
  }

  // one risk, one finding
  const allowAllSubjects = new Set(raw.filter((r) => r.rule.meta.id === 'allow-all' && r.f.subject).map((r) => r.f.subject!.id));
  const unscoped = new Set(raw.filter((r) => r.rule.meta.id === 'unscoped-grant' && r.f.subject && r.f.kind).map((r) => `${r.f.subject!.id}:${r.f.kind}`));
  const mistakeSpans = raw.filter((r) => MISTAKES.has(r.rule.meta.id)).map((r) => r.f.span);

  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const { rule, f } of raw) {
    const id = rule.meta.id;
    const subjectId = f.subject?.id;
    if (subjectId && SUBSUMED_BY_ALLOW_ALL.has(id) && allowAllSubjects.has(subjectId)) continue;
    if (subjectId && SECTION_B.has(id) && f.kind && unscoped.has(`${subjectId}:${f.kind}`)) continue;
    if (rule.meta.category === 'grant' && mistakeSpans.some((s) => overlaps(s, f.span))) continue;

    const context = f.subject?.context.kind ?? f.context;
    let level: Level = f.level ?? rule.meta.level;
    if (rule.meta.category === 'grant') level = levelInContext(level, context);
    const setting = options.levelFor?.(id, f.span.file) ?? options.levels?.[id];
    if (setting === 'off') continue;
    if (setting) level = setting;

    const finding: Finding = { ruleId: id, level, message: f.message, span: f.span, securitySeverity: f.severity ?? rule.meta.severity };
    if (f.related?.length) finding.related = f.related;
    if (f.subject) {
      finding.subject = { id: f.subject.id, source: f.subject.origin.source };
      if (f.subject.origin.name !== undefined) finding.subject.name = f.subject.origin.name;
    }
    if (context) finding.context = context;
    const key = `${id}|${f.span.file}|${f.span.line}|${f.span.column}|${f.span.endLine}|${f.span.endColumn}|${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  findings.sort((a, b) => compareSpans(a.span, b.span) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return { findings, counts };
}
