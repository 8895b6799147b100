/**
 * Markdown for pull-request comments and job summaries: a count per level and a table of findings.
 * Text from the tree renders as text: no HTML, links, images, mentions or code-span breaks (escape.ts).
 */
import type { ReportInput } from './types.js';
import { escapeMarkdown, markdownCode } from './escape.js';


const ICON = { error: '🔴 error', warning: '🟠 warning', note: '🔵 note' } as const;

export function markdown(input: ReportInput): string {
  const n = (l: string) => input.findings.filter((f) => f.level === l).length;
  const out: string[] = ['## permlint', ''];
  if (!input.findings.length) {
    out.push(`✅ No problems in ${input.fileCount} file${input.fileCount === 1 ? '' : 's'}.`, '');
    return `${out.join('\n')}`;
  }
  out.push('| Errors | Warnings | Notes | Files scanned |', '|---:|---:|---:|---:|', `| ${n('error')} | ${n('warning')} | ${n('note')} | ${input.fileCount} |`, '');
  const byRule = new Map<string, number>();
  for (const f of input.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  out.push('| Rule | Findings |', '|---|---:|');
  for (const [rule, count] of [...byRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) out.push(`| \`${rule}\` | ${count} |`);
  out.push('', '| Level | Rule | Location | Message |', '|---|---|---|---|');
  for (const f of input.findings) {
    out.push(`| ${ICON[f.level]} | \`${f.ruleId}\` | ${markdownCode(`${f.span.file}:${f.span.line}:${f.span.column}`)} | ${escapeMarkdown(f.message)} |`);
  }
  out.push('');
  return `${out.join('\n')}`;
}
