/**
 * GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…,col=…,endLine=…,
 * endColumn=…,title=<rule-id>::<message>` line per finding, so findings show as annotations
 * on the pull request. GitHub shows at most 10 annotations of each level per step, so the
 * plain report follows the commands: the job log always holds every finding.
 */
import type { Finding } from '../model.js';
import { stylish } from './stylish.js';
import type { ReportInput } from './types.js';

const COMMAND: Record<Finding['level'], string> = { error: 'error', warning: 'warning', note: 'notice' };

/** Escaping for a workflow command's message (toolkit `escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping for a workflow command's property value (toolkit `escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

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
  return `${lines.join('\n')}${lines.length ? '\n' : ''}${stylish({ ...input, color: false })}`;
}
