/** What a rule is: metadata and a pure function over the model. A rule never reads files. */
import type { ContextKind, Declaration, Invocation, Level, Model, PermKind, Span } from './model.js';

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
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): RuleFinding[];
}
