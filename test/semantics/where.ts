/** Test helpers for the path and host rules: where a token is in a fixture file, and models built from command lines. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIXTURES } from '../helpers.js';
import { LineIndex, MappedText } from '../../src/text.js';
import { parseShell } from '../../src/shell/index.js';
import { analyzeCommand } from '../../src/grammar/command.js';
import { emptyModel, type Finding, type InvocationContext, type Model } from '../../src/model.js';

/**
 * `file:line:column` of `token` (the first one after `after`) on the only line of a fixture file that contains `lineHas`.
 * The expected position comes from the fixture text, not from the code under test.
 */
export function at(fixture: string, file: string, lineHas: string, token: string, after = ''): string {
  const lines = readFileSync(resolve(FIXTURES, fixture, file), 'utf8').split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(lineHas) ? [i] : []));
  if (hits.length !== 1) throw new Error(`${fixture}/${file}: ${hits.length} lines contain ${JSON.stringify(lineHas)}`);
  const i = hits[0]!;
  const line = lines[i]!;
  const from = after ? line.indexOf(after) : 0;
  if (from < 0) throw new Error(`${fixture}/${file}:${i + 1}: no ${JSON.stringify(after)}`);
  const col = line.indexOf(token, from + after.length);
  if (col < 0) throw new Error(`${fixture}/${file}:${i + 1}: no ${JSON.stringify(token)}`);
  return `${file}:${i + 1}:${col + 1}`;
}

/** `file:line:column` of each finding of one rule. */
export function positions(findings: Finding[], ruleId: string): string[] {
  return findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.span.file}:${f.span.line}:${f.span.column}`);
}

/** A model from shell command lines, each with its own context (for synthetic deployment cases). */
export function modelOf(lines: { text: string; context: InvocationContext; file?: string }[]): Model {
  const model = emptyModel();
  lines.forEach(({ text, context, file = 'Dockerfile' }, n) => {
    const idx = new LineIndex(file, text);
    const parsed = parseShell(MappedText.verbatim(idx, 0, text.length), {});
    for (const c of parsed.commands) {
      const origin = { file, span: c.span, source: 'dockerfile' as const };
      const env = c.assigns.map((a) => ({ name: a.name, value: a.value, span: a.span, origin, context }));
      const r = analyzeCommand(c.argv, { origin, context, env, id: `${file}#${n}` });
      if (!r) continue;
      model.commands.push(r.command);
      if (r.invocation) model.invocations.push(r.invocation);
    }
  });
  return model;
}
