/**
 * Machine output. Shape (version 1), documented in docs/output.md:
 * { version, tool: { name, version }, summary: { files, errors, warnings, notes }, findings: [ {
 *   rule, level, securitySeverity, message, file, line, column, endLine, endColumn, source?, context?,
 *   confidence, role, persona?, details?,
 *   invocation?: { id, name? }, related?: [{ file, line, column, endLine, endColumn, message }],
 *   fixes?: [{ description, safety: safe|unsafe, replacements: [{ file, line, column, endLine, endColumn, text }] }] } ] }
 */
import type { ReportInput } from './types.js';

export const JSON_FORMAT_VERSION = 1;

/** The report document (what `json` writes). */
export function jsonDocument(input: ReportInput) {
  const sev = new Map(input.rules.map((r) => [r.id, r.severity]));
  const count = (l: string) => input.findings.filter((f) => f.level === l).length;
  const doc = {
    version: JSON_FORMAT_VERSION,
    tool: { name: 'permlint', version: input.toolVersion },
    summary: { files: input.fileCount, errors: count('error'), warnings: count('warning'), notes: count('note') },
    findings: input.findings.map((f) => ({
      rule: f.ruleId,
      level: f.level,
      securitySeverity: (f.securitySeverity ?? sev.get(f.ruleId) ?? 0).toFixed(1),
      message: f.message,
      file: f.span.file,
      line: f.span.line,
      column: f.span.column,
      endLine: f.span.endLine,
      endColumn: f.span.endColumn,
      ...(f.subject ? { source: f.subject.source, invocation: f.subject.name !== undefined ? { id: f.subject.id, name: f.subject.name } : { id: f.subject.id } } : {}),
      ...(f.context ? { context: f.context } : {}),
      confidence: f.confidence ?? 'high',
      role: f.role ?? 'production',
      ...(f.persona ? { persona: f.persona } : {}),
      ...(f.details ? { details: f.details } : {}),
      ...(f.related?.length ? { related: f.related.map((r) => ({ file: r.span.file, line: r.span.line, column: r.span.column, endLine: r.span.endLine, endColumn: r.span.endColumn, message: r.message })) } : {}),
      ...(f.fixes?.length ? { fixes: f.fixes } : {}),
    })),
    skipped: input.skipped ?? [],
  };
  return doc;
}

/** The JSON report's shape, for programs (and tests) that read it. */
export type JsonReport = ReturnType<typeof jsonDocument>;
export type JsonFinding = JsonReport['findings'][number];

export function json(input: ReportInput): string {
  return `${JSON.stringify(jsonDocument(input), null, 2)}\n`;
}
