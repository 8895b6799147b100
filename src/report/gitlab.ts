/**
 * GitLab Code Quality: a JSON array that GitLab shows in merge requests
 * (`artifacts: reports: codequality`). One issue per finding: description, check_name (the rule
 * id), a fingerprint that stays the same across unrelated edits (permlint's own, as in SARIF),
 * severity (note → info, warning → minor, error → major, or critical when the rule's security
 * severity is 9.0 or more), and the location with line and column positions.
 */
import type { ReportInput } from './types.js';
import { findingKeys } from './fingerprint.js';

export function gitlab(input: ReportInput): string {
  const sev = new Map(input.rules.map((r) => [r.id, r.severity]));
  const keys = findingKeys(input.findings, input.sources);
  const issues = input.findings.map((f, i) => {
    const security = f.securitySeverity ?? sev.get(f.ruleId) ?? 0;
    const severity = f.level === 'note' ? 'info' : f.level === 'warning' ? 'minor' : security >= 9 ? 'critical' : 'major';
    return {
      type: 'issue',
      description: f.message,
      check_name: f.ruleId,
      categories: ['Security'],
      fingerprint: keys[i]!.fingerprint,
      severity,
      location: {
        path: `${input.uriPrefix ?? ''}${f.span.file}`,
        positions: { begin: { line: f.span.line, column: f.span.column }, end: { line: f.span.endLine, column: f.span.endColumn } },
      },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
