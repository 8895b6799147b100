/**
 * Signal over noise, after the engine: every finding gets the code role of its file, a
 * confidence and the least persona that shows it; findings in test, fixture and example code
 * rank like the `test` context; findings in a generated file are reported once per rule at the
 * first place, pointing at the generator when it is known (lower otherwise); then a persona and
 * a minimum confidence choose what is shown (rules.md "Confidence and personas").
 *
 * - `regular` (default): warnings and errors of medium or high confidence outside test,
 *   fixture, example and vendored code, except what the rule's persona table keeps for
 *   `pedantic` (docs/rules/<id>.md "Personas").
 * - `pedantic`: everything above plus notes, low-confidence findings and test code.
 * - `auditor`: everything, vendored code included.
 *
 * Pure functions of the findings and the model: nothing here reads files or re-runs a rule.
 */
import type { CodeRole, Confidence, ContextKind, Finding, Level, Model, Persona } from './model.js';
import type { RuleMeta } from './rule-api.js';
import { TEST_LIKE, roleOf, type RoleOptions } from './roles.js';

export const PERSONAS: readonly Persona[] = ['regular', 'pedantic', 'auditor'];
export const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];

const LEVELS: Level[] = ['note', 'warning', 'error'];
const lowerBy = (l: Level, n: number): Level => LEVELS[Math.max(0, LEVELS.indexOf(l) - n)]!;
const rank = (c: Confidence) => CONFIDENCES.indexOf(c);
const capAt = (c: Confidence, max: Confidence): Confidence => (rank(c) > rank(max) ? max : c);

/**
 * Per rule: the contexts in which `regular` shows its warnings and errors (other contexts:
 * `pedantic`). Rules not listed show in every context. Kept with the rule docs' "Personas"
 * sections (docs/rules/*.md); a test checks that each listed rule documents it.
 */
export const REGULAR_CONTEXTS: Record<string, readonly (ContextKind | 'none')[]> = {
  // broad grants are routine in developer tooling (`deno run -A tools/release.ts`); what runs
  // deployed or in CI with its secrets is what a maintainer acts on
  // (an image build step, like a CI step, runs with the build's secrets and shapes what is deployed)
  'allow-all': ['deployment', 'build', 'ci'],
  'unscoped-grant': ['deployment', 'build', 'ci'],
  'subprocess-escalation': ['deployment', 'build', 'ci'],
  'unrestricted-import': ['deployment', 'build', 'ci'],
  // `deno eval` of code written in a CI or build step is what the step says it is
  'omitted-permissions': ['deployment'],
  'self-modification': ['deployment', 'build', 'ci'],
};

/** In CI and image builds, `regular` shows only broad grants of these kinds (rules.md: allow-all, or an unscoped grant of write, run or ffi). */
const BROAD_IN_CI: ReadonlySet<string> = new Set(['write', 'run', 'ffi']);

export interface SignalInput extends RoleOptions {
  model: Model;
  rules: RuleMeta[];
}

/**
 * Role, ranking, confidence and persona for each finding (returns new findings, in the order
 * given; grouped generated findings take the place of the first of their group).
 */
export function annotate(findings: Finding[], input: SignalInput): Finding[] {
  const meta = new Map(input.rules.map((r) => [r.id, r]));
  const subjects = new Map<string, { unresolved: number; source: string; derived: boolean }>();
  for (const x of input.model.invocations) subjects.set(x.id, { unresolved: x.unresolved.length, source: x.origin.source, derived: !!x.context.calledBy?.length });
  for (const x of input.model.declarations) subjects.set(x.id, { unresolved: 0, source: x.origin.source, derived: !!x.context.calledBy?.length });

  const out: Finding[] = [];
  const groups = new Map<string, Finding>();
  for (const f0 of findings) {
    const f: Finding = { ...f0 };
    const r = roleOf(input.model, f.span.file, input);
    const role: CodeRole = r.role;
    if (role !== 'production') f.role = role;

    // ranking by role: test, fixture and example code ranks like the test context (every
    // finding a note: grant rules two steps lower, mistakes in test code are notes)
    if (TEST_LIKE.has(role)) {
      f.level = 'note';
      if (f.context !== 'test') f.context = 'test';
    } else if (role === 'generated' && !r.generator) f.level = lowerBy(f.level, 1);

    f.confidence = confidenceOf(f, meta.get(f.ruleId), f.subject ? subjects.get(f.subject.id) : undefined);

    // a generated file with a known generator: one finding per rule, at the first place
    if (role === 'generated' && r.generator) {
      const key = `${f.ruleId}\u0000${f.span.file}`;
      const first = groups.get(key);
      if (first) {
        first.related = [...(first.related ?? []), { span: f.span, message: `also here: ${f.message}` }];
        if (LEVELS.indexOf(f.level) > LEVELS.indexOf(first.level)) first.level = f.level;
        continue;
      }
      f.related = [{ span: { file: r.generator, line: 1, column: 1, endLine: 1, endColumn: 1 }, message: `${f.span.file} is generated by this file: fix it there` }, ...(f.related ?? [])];
      groups.set(key, f);
    }
    out.push(f);
  }
  const grouped = groupByCause(out);
  out.length = 0;
  out.push(...grouped);
  for (const f of groups.values()) {
    const more = (f.related ?? []).filter((x) => x.message.startsWith('also here: ')).length;
    const gen = roleOf(input.model, f.span.file, input).generator!;
    f.message = `${f.message}${more ? ` (and ${more} more like it in this file)` : ''}; this file is generated by ${gen}`;
  }
  for (const f of out) f.persona = personaOf(f);
  return out;
}

const CONTEXT_RANK: (ContextKind | undefined)[] = [undefined, 'test', 'development', 'ci', 'build', 'deployment'];

/**
 * One finding per cause: findings a rule marks with the same cause (the same workspace root
 * that does not freeze the lockfile under many tasks) become one finding at the cause, with
 * each of them as a related location. Test-code findings, and causes behind fewer than three
 * findings, stay as they are.
 */
export function groupByCause(findings: Finding[]): Finding[] {
  const by = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.cause || (f.role && TEST_LIKE.has(f.role))) continue;
    const k = `${f.ruleId}\u0000${f.cause.key}`;
    const group = by.get(k);
    if (group) group.push(f); // not a copy per member: 20,000 runs of one cause were quadratic
    else by.set(k, [f]);
  }
  const replaced = new Map<Finding, Finding | null>();
  for (const members of by.values()) {
    // a cause behind a couple of runs reads fine run by run; from three on, one finding says it once
    if (members.length < 3) continue;
    const first = members[0]!;
    const cause = first.cause!;
    const level = members.reduce<Level>((l, m) => (LEVELS.indexOf(m.level) > LEVELS.indexOf(l) ? m.level : l), 'note');
    const context = members.reduce<ContextKind | undefined>((c, m) => (CONTEXT_RANK.indexOf(m.context) > CONTEXT_RANK.indexOf(c) ? m.context : c), undefined);
    const names = members.map((m) => (m.subject?.name !== undefined ? `\`${m.subject.name}\`` : `${m.span.file}:${m.span.line}`));
    const shown = [...new Set(names)];
    const list = `${shown.slice(0, 3).join(', ')}${shown.length > 3 ? ` and ${shown.length - 3} more` : ''}`;
    const g: Finding = {
      ruleId: first.ruleId,
      level,
      message: `${cause.message} — ${members.length} runs: ${list}`,
      span: cause.span,
      // each run, then what runs it (the callers of a followed task)
      related: members.flatMap((m) => [{ span: m.span, message: m.message }, ...(m.related ?? [])]),
      cause,
    };
    if (first.securitySeverity !== undefined) g.securitySeverity = first.securitySeverity;
    if (context) g.context = context;
    const confidences = members.map((m) => m.confidence ?? 'high');
    g.confidence = confidences.reduce((a, b) => (rank(b) > rank(a) ? b : a), 'low');
    replaced.set(first, g);
    for (const m of members.slice(1)) replaced.set(m, null);
  }
  const out: Finding[] = [];
  for (const f of findings) {
    const r = replaced.get(f);
    if (r === null) continue;
    out.push(r ?? f);
  }
  return out;
}

/**
 * How sure a finding is: the rule's own (or the finding's) confidence, capped at medium when
 * the subject's argv has words static analysis could not resolve or was read from TypeScript
 * code, and at low when both.
 */
export function confidenceOf(f: Finding, meta: RuleMeta | undefined, subject: { unresolved: number; source: string; derived: boolean } | undefined): Confidence {
  let c: Confidence = f.confidence ?? meta?.confidence ?? 'high';
  if (subject && f.ruleId !== 'unresolved-value') {
    if (subject.unresolved > 0 && subject.source === 'typescript') c = capAt(c, 'low');
    else if (subject.unresolved > 0 || subject.source === 'typescript') c = capAt(c, 'medium');
  }
  return c;
}

/** The least persona that shows a finding. */
export function personaOf(f: Finding): Persona {
  if (f.role === 'vendored') return 'auditor';
  if (f.level === 'note') return 'pedantic';
  if (f.role && TEST_LIKE.has(f.role)) return 'pedantic';
  if ((f.confidence ?? 'high') === 'low') return 'pedantic';
  const contexts = REGULAR_CONTEXTS[f.ruleId];
  if (contexts && !contexts.includes(f.context ?? 'none')) return 'pedantic';
  if (f.ruleId === 'unscoped-grant' && (f.context === 'ci' || f.context === 'build') && f.kind && !BROAD_IN_CI.has(f.kind)) return 'pedantic';
  return 'regular';
}

export interface SelectOptions {
  persona?: Persona;
  /** Hide findings below this confidence (default: medium for `regular`, low otherwise). */
  minConfidence?: Confidence;
}

/** The findings a persona shows, at or above the minimum confidence. */
export function selectForPersona(findings: Finding[], options: SelectOptions = {}): Finding[] {
  const persona = options.persona ?? 'regular';
  const min = options.minConfidence ?? (persona === 'regular' ? 'medium' : 'low');
  const p = PERSONAS.indexOf(persona);
  return findings.filter((f) => PERSONAS.indexOf(f.persona ?? personaOf(f)) <= p && rank(f.confidence ?? 'high') >= rank(min));
}
