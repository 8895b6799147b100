/** What a rule is: metadata and a pure function over the model. A rule never reads files. */
import type { Confidence, ContextKind, Declaration, FindingCause, Invocation, Level, Model, PermKind, Span } from './model.js';

/**
 * - `grant`: reports a risk whose level follows the context (rules.md "Contexts and levels").
 * - `mistake`: reports something the runtime misreads or refuses; keeps its level everywhere.
 * - `other`: keeps its level; context decides whether it fires at all.
 */
export type RuleCategory = 'grant' | 'mistake' | 'other';

export interface RuleMeta {
  id: string;
  level: Level;
  /** GitHub security-severity, 0.1–10.0. */
  severity: number;
  category: RuleCategory;
  /** One line. */
  description: string;
  /** How sure its findings are unless a finding says otherwise (default high); see src/persona.ts. */
  confidence?: Confidence;
  /**
   * The most a finding of this rule can be sure of (default high): the engine caps a finding's own
   * confidence at it, and `confidence` may not exceed it (a test checks every rule). A run whose
   * persona and minimum confidence can show no finding at this bound does not compute what only
   * such rules read (src/persona.ts `mayShow`, src/lint.ts `selection`).
   */
  maxConfidence?: Confidence;
  /**
   * Reads `model.inferences` (section G, the module graphs of the entrypoints): lint() builds the
   * graphs only for invocations where such a rule is on, and only when one of its findings can be shown.
   */
  readsInferences?: true;
  /**
   * Findings of other rules that a finding of this rule makes redundant ("one risk, one finding";
   * "a mistake outranks its consequence"). The engine drops them; it knows no rule ids itself.
   */
  subsumes?: Subsumption[];
  /** The same relation declared from the other side: findings of this rule that another rule's finding makes redundant. */
  subsumedBy?: Subsumption[];
}

/** Which rules a subsumption concerns: by id, or every rule of a category. */
export interface RuleSelector {
  rules?: string[];
  category?: RuleCategory;
}

/**
 * One "finding A makes finding B redundant" relation. `scope` says what the two findings must share:
 * - `subject`: the same invocation or declaration;
 * - `subject-kind`: the same subject and the same permission kind (`RuleFinding.kind`);
 * - `span`: overlapping spans (the same flag or key), whatever the subject.
 */
export interface Subsumption extends RuleSelector {
  scope: 'subject' | 'subject-kind' | 'span';
}

export interface Trusted {
  hosts: string[];
  paths: string[];
  programs: string[];
}

export interface RuleContext {
  model: Model;
  options: Record<string, unknown>;
  trusted: Trusted;
}

export interface RuleFinding {
  span: Span;
  message: string;
  /** Overrides the catalogue level before the context adjusts it (`unscoped-grant` on write is an error). */
  level?: Level;
  /** Overrides the security severity (per-kind severities). */
  severity?: number;
  subject?: Invocation | Declaration;
  /** The context of the finding when there is no subject (env settings, deno.json facts). */
  context?: ContextKind;
  /** The permission kind the finding concerns (for "one risk, one finding"). */
  kind?: PermKind;
  related?: { span: Span; message: string }[];
  /** How sure this finding is, when it differs from the rule's (medium: depends on an assumption; low: a guess). */
  confidence?: Confidence;
  /** The long form behind a short message (every advisory of a pin), for help text and SARIF properties. */
  details?: string[];
  /** One cause behind many findings (the workspace root that does not freeze the lockfile): they are reported once, there. */
  cause?: FindingCause;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): RuleFinding[];
}
