/**
 * GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…,col=…,endLine=…,
 * endColumn=…,title=<rule-id>::<message>` line per finding, so findings show as annotations
 * on the pull request. GitHub shows at most 10 annotations of each level per step, so the
 * plain report follows the commands: the job log always holds every finding. Every value is
 * escaped (toolkit rules, control characters made visible) and the plain report runs between
 * `::stop-commands::` and its end token, so nothing from the tree can issue a workflow command.
 */
import type { Finding } from '../model.js';
import { stylish } from './stylish.js';
import { escapeData, escapeProperty, workflowLogBlock } from './escape.js';
import type { ReportInput } from './types.js';

const COMMAND: Record<Finding['level'], string> = { error: 'error', warning: 'warning', note: 'notice' };

export { escapeData, escapeProperty } from './escape.js';

export function github(input: ReportInput): string {
  const lines = input.findings.map((f) => {
    const s = f.span;
    const props = [
      `file=${escapeProperty(s.file)}`,
      `line=${s.line}`,
      `col=${s.column}`,
      `endLine=${Math.max(s.endLine, s.line)}`,
      `endColumn=${s.endColumn}`,
      `title=${escapeProperty(f.ruleId)}`,
    ];
    return `::${COMMAND[f.level]} ${props.join(',')}::${escapeData(`${f.message} (${f.ruleId})`)}`;
  });
  // the plain report is text from the tree: printed with workflow commands stopped (see escape.ts)
  return `${lines.join('\n')}${lines.length ? '\n' : ''}${workflowLogBlock(stylish({ ...input, color: false }))}`;
}
