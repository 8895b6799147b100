/** Positions in fixture files, found by text (so that tests never hard-code a column by hand). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding } from '../../src/model.js';
import { FIXTURES } from '../helpers.js';

/** `file:line:col` of `token` on the first line of `file` that contains `lineHas` (after `after` on that line). */
export function where(fx: string, file: string, lineHas: string, token: string, after = ''): string {
  const lines = readFileSync(resolve(FIXTURES, fx, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(lineHas));
  if (i < 0) throw new Error(`no line with ${lineHas} in ${fx}/${file}`);
  const line = lines[i]!;
  const from = after ? line.indexOf(after) + after.length : 0;
  const col = line.indexOf(token, from);
  if (col < 0) throw new Error(`no ${token} on line ${i + 1} of ${fx}/${file}`);
  return `${file}:${i + 1}:${col + 1}`;
}

/** `file:line:col` of each finding of one rule, in report order. */
export function positions(findings: Finding[], rule: string): string[] {
  return findings.filter((f) => f.ruleId === rule).map((f) => `${f.span.file}:${f.span.line}:${f.span.column}`);
}
