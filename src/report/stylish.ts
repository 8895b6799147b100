/** Human output: grouped by file, `line:col  level  message  rule-id`, a summary line; control characters from the tree shown escaped. */
import { Chalk } from 'chalk';
import type { Finding } from '../model.js';
import type { ReportInput } from './types.js';
import { escapeControls } from './escape.js';

export function stylish(input: ReportInput): string {
  const c = new Chalk({ level: input.color ? 1 : 0 });
  const byFile = new Map<string, Finding[]>();
  for (const f of input.findings) byFile.set(f.span.file, [...(byFile.get(f.span.file) ?? []), f]);
  const lines: string[] = [];
  const colour = (l: Finding['level']) => (l === 'error' ? c.red(l) : l === 'warning' ? c.yellow(l) : c.blue(l));
  for (const [file, fs] of byFile) {
    lines.push(c.underline(escapeControls(file)));
    const pos = fs.map((f) => `${f.span.line}:${f.span.column}`);
    const w = Math.max(...pos.map((p) => p.length));
    const lw = Math.max(...fs.map((f) => f.level.length));
    fs.forEach((f, i) => {
      lines.push(`  ${c.dim(pos[i]!.padEnd(w))}  ${colour(f.level)}${' '.repeat(lw - f.level.length)}  ${escapeControls(f.message)}  ${c.dim(f.ruleId)}`);
    });
    lines.push('');
  }
  for (const s of input.skipped ?? []) lines.push(c.dim(`skipped ${escapeControls(s.path)}: ${escapeControls(s.reason)}`));
  const n = (l: string) => input.findings.filter((f) => f.level === l).length;
  const errors = n('error');
  const warnings = n('warning');
  const notes = n('note');
  if (input.findings.length === 0) lines.push(c.green(`✔ no problems in ${input.fileCount} file${input.fileCount === 1 ? '' : 's'}`));
  else {
    const summary = `✖ ${input.findings.length} problem${input.findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${notes} note${notes === 1 ? '' : 's'})`;
    lines.push(errors ? c.red.bold(summary) : c.yellow.bold(summary));
  }
  return `${lines.join('\n')}\n`;
}
