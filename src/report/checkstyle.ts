/**
 * Checkstyle XML, which many CI systems and review tools read (Jenkins warnings-ng, reviewdog,
 * Sonar, Bitbucket): one `<file>` per file with findings, one `<error>` per finding with line,
 * column, severity (error, warning, info for notes), message and `source` `permlint.<rule-id>`.
 */
import type { Finding } from '../model.js';
import type { ReportInput } from './types.js';
import { xmlEscape } from './junit.js';

const SEVERITY = { error: 'error', warning: 'warning', note: 'info' } as const;

export function checkstyle(input: ReportInput): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of input.findings) byFile.set(f.span.file, [...(byFile.get(f.span.file) ?? []), f]);
  const files = [...byFile.keys()].sort().map((file) => {
    const errors = byFile.get(file)!.map(
      (f) =>
        `    <error line="${f.span.line}" column="${f.span.column}" severity="${SEVERITY[f.level]}" message="${xmlEscape(f.message)}" source="permlint.${xmlEscape(f.ruleId)}"/>`,
    );
    return `  <file name="${xmlEscape(file)}">\n${errors.join('\n')}\n  </file>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n${files.map((f) => `${f}\n`).join('')}</checkstyle>\n`;
}
