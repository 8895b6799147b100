/**
 * JUnit XML for CI systems that show test reports: one test suite per scanned file, one test
 * case per finding (a failure whose type is the rule id for errors and warnings; a note is a
 * passing case with its message in system-out, so that CI does not count it as a failure),
 * and one passing test case for each file without findings.
 */
import type { Finding } from '../model.js';
import type { ReportInput } from './types.js';

export function xmlEscape(s: string): string {
  // drop characters XML 1.0 cannot hold at all
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  // a raw CR would survive into a terminal that shows the file; as a reference it is kept exactly
  return clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\r/g, '&#13;');
}

export function junit(input: ReportInput): string {
  const byFile = new Map<string, Finding[]>();
  for (const file of [...(input.sources?.keys() ?? [])].sort()) byFile.set(file, []);
  for (const f of input.findings) byFile.set(f.span.file, [...(byFile.get(f.span.file) ?? []), f]);
  const files = [...byFile.keys()].sort();
  const suites = files.map((file) => {
    const fs = byFile.get(file)!;
    const cases = fs.length
      ? fs.map((f) => {
          const where = `${file}:${f.span.line}:${f.span.column}`;
          if (f.level === 'note') {
            return (
              `    <testcase classname="${xmlEscape(file)}" name="${xmlEscape(`${f.ruleId} at ${where}`)}">\n` +
              `      <system-out>${xmlEscape(`note: ${f.message} (${f.ruleId})\nat ${where}`)}</system-out>\n` +
              `    </testcase>`
            );
          }
          return (
            `    <testcase classname="${xmlEscape(file)}" name="${xmlEscape(`${f.ruleId} at ${where}`)}">\n` +
            `      <failure type="${xmlEscape(f.ruleId)}" message="${xmlEscape(f.message)}">${xmlEscape(`${f.level}: ${f.message} (${f.ruleId})\nat ${where}`)}</failure>\n` +
            `    </testcase>`
          );
        })
      : [`    <testcase classname="${xmlEscape(file)}" name="permlint"/>`];
    const failures = fs.filter((f) => f.level !== 'note').length;
    return `  <testsuite name="${xmlEscape(file)}" tests="${Math.max(1, fs.length)}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const tests = files.reduce((n, f) => n + Math.max(1, byFile.get(f)!.length), 0);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="permlint" tests="${tests}" failures="${input.findings.filter((f) => f.level !== 'note').length}" errors="0">\n` +
    `${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`
  );
}
