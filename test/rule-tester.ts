/**
 * An ESLint-style rule tester: tables of valid and invalid cases, each a few files held in
 * memory, linted through the library entry `lint()` with every rule on (so that "one risk, one
 * finding" and context levels apply as users see them), keeping the findings of the rule under
 * test.
 *
 * - A valid case must give no finding of the rule.
 * - An invalid case must give exactly the listed findings, in report order. Each names its file
 *   and its position — `line`/`column` (and `endLine`/`endColumn`), or `at`: the exact text the
 *   finding spans (its first occurrence in the file, or the n-th with `[text, n]`), which fixes
 *   start and end at once — its level, and a `message` (substring or RegExp) or `messageId`.
 *
 * ```ts
 * ruleTester('allow-all', {
 *   valid: [{ name: 'deno fmt takes no permissions', files: { 'deno.json': '{"tasks":{"f":"deno fmt -A"}}' } }],
 *   invalid: [{ name: '-A in a task', files: { 'deno.json': … }, errors: [{ file: 'deno.json', at: '-A', level: 'warning', message: 'grants every permission' }] }],
 * });
 * ```
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ContextKind, Finding, Level } from '../src/model.js';
import type { EngineOptions } from '../src/engine.js';
import { lint } from '../src/lint.js';
import { memoryFs } from '../src/fs.js';
import { ruleById } from '../rules/index.js';

export interface RuleTestCase {
  /** What the case shows (the test title). */
  name: string;
  /** Repo-relative path → content. */
  files: Record<string, string>;
  /** Lint only these paths (as pre-commit passes them); default: the whole tree. */
  paths?: string[];
  /** Options of the rule under test (config `rules.<id>.options`). */
  options?: Record<string, unknown>;
  /** Other engine settings (levels, trusted values, overrides). */
  engine?: EngineOptions;
}

export interface ExpectedFinding {
  file: string;
  /** The exact text the finding spans, first occurrence in `file` (or the n-th, 1-based). */
  at?: string | [text: string, occurrence: number];
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  level: Level;
  /** A substring of the message, or a pattern it must match. */
  message?: string | RegExp;
  /** The rule's message id, for rules that give one. */
  messageId?: string;
  context?: ContextKind;
  /**
   * The finding's related locations, in order: each file, and the line and column when given (exactly this many);
   * `message`, when given, is a substring of that location's message or a pattern it must match.
   */
  related?: { file: string; line?: number; column?: number; message?: string | RegExp }[];
}

export interface InvalidRuleTestCase extends RuleTestCase {
  errors: ExpectedFinding[];
}

/**
 * The text files of a fixture folder (`fixtures/<name>`), repo-relative path → content, for cases
 * that lint a whole fixture tree in memory.
 */
export function fixtureFiles(name: string): Record<string, string> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', name);
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const abs = join(dir, f);
    if (statSync(abs).isFile()) out[f.split('\\').join('/')] = readFileSync(abs, 'utf8');
  }
  return out;
}

/** 1-based line and column (UTF-16) of an offset; CRLF and lone CR end lines as LineIndex does. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** The span of the n-th occurrence of `needle` in `text`. */
export function spanOf(text: string, needle: string, occurrence = 1): { line: number; column: number; endLine: number; endColumn: number } {
  let at = -1;
  for (let n = 0; n < occurrence; n++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`rule tester: \`${needle}\` occurs fewer than ${occurrence} time(s)`);
  }
  const a = position(text, at);
  const b = position(text, at + needle.length);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

function expectedShape(e: ExpectedFinding, files: Record<string, string>): Record<string, unknown> {
  const text = files[e.file];
  if (text === undefined) throw new Error(`rule tester: expected a finding in \`${e.file}\`, which the case does not define`);
  const out: Record<string, unknown> = { file: e.file, level: e.level };
  if (e.at !== undefined) {
    const [needle, n] = typeof e.at === 'string' ? [e.at, 1] : e.at;
    Object.assign(out, spanOf(text, needle, n));
  }
  for (const k of ['line', 'column', 'endLine', 'endColumn'] as const) if (e[k] !== undefined) out[k] = e[k];
  if (out.line === undefined || out.column === undefined) throw new Error('rule tester: every expected finding needs `at` or `line` and `column`');
  if (e.message === undefined && e.messageId === undefined) throw new Error('rule tester: every expected finding needs `message` or `messageId`');
  if (e.messageId !== undefined) out.messageId = e.messageId;
  if (e.context !== undefined) out.context = e.context;
  if (e.related !== undefined) out.related = e.related.map((r) => ({ file: r.file, ...(r.line === undefined ? {} : { line: r.line }), ...(r.column === undefined ? {} : { column: r.column }) }));
  return out;
}

function actualShape(f: Finding, want: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { file: f.span.file, level: f.level, line: f.span.line, column: f.span.column };
  if ('endLine' in want) out.endLine = f.span.endLine;
  if ('endColumn' in want) out.endColumn = f.span.endColumn;
  if ('messageId' in want) out.messageId = (f as Finding & { messageId?: string }).messageId;
  if ('context' in want) out.context = f.context;
  if ('related' in want) {
    const shape = want.related as { file: string; line?: number; column?: number }[];
    out.related = (f.related ?? []).map((r, i) => ({ file: r.span.file, ...(shape[i]?.line === undefined ? {} : { line: r.span.line }), ...(shape[i]?.column === undefined ? {} : { column: r.span.column }) }));
  }
  return out;
}

async function findingsOf(ruleId: string, c: RuleTestCase): Promise<Finding[]> {
  const engine: EngineOptions = { ...c.engine };
  if (c.options) engine.ruleOptions = { ...engine.ruleOptions, [ruleId]: c.options };
  const fs = memoryFs(c.files);
  const { findings } = await lint(c.paths ? { fs, paths: c.paths } : fs, { engine });
  return findings.filter((f) => f.ruleId === ruleId);
}

const show = (fs: Finding[]) => fs.map((f) => `${f.span.file}:${f.span.line}:${f.span.column} ${f.level} ${f.message}`).join('\n');

/** Declares one vitest `describe` block for the rule with one test per case. */
export function ruleTester(ruleId: string, cases: { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] }): void {
  describe(`${ruleId} (rule tester)`, () => {
    it('is a rule of the catalogue with cases both ways', () => {
      expect(ruleById(ruleId)?.meta.id).toBe(ruleId);
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const got = await findingsOf(ruleId, c);
        expect(got, `expected no ${ruleId} finding, got:\n${show(got)}`).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const got = await findingsOf(ruleId, c);
        const want = c.errors.map((e) => expectedShape(e, c.files));
        expect(got.length, `expected ${want.length} ${ruleId} finding(s), got:\n${show(got)}`).toBe(want.length);
        got.forEach((f, i) => {
          const e = c.errors[i]!;
          expect(actualShape(f, want[i]!), `finding ${i + 1}: ${f.message}`).toEqual(want[i]);
          if (typeof e.message === 'string') expect(f.message).toContain(e.message);
          else if (e.message) expect(f.message).toMatch(e.message);
          e.related?.forEach((r, j) => {
            const m = f.related?.[j]?.message ?? '';
            if (typeof r.message === 'string') expect(m, `finding ${i + 1}, related ${j + 1}`).toContain(r.message);
            else if (r.message) expect(m, `finding ${i + 1}, related ${j + 1}`).toMatch(r.message);
          });
        });
      });
    }
  });
}
