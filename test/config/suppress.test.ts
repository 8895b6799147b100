import { describe, expect, it } from 'vitest';
import { annotationDirectives, applySuppressions, commentDirectives } from '../../src/suppress.js';
import type { Finding } from '../../src/model.js';
import { KNOWN } from '../report/sarif-helpers.js';

const finding = (file: string, line: number, ruleId = 'allow-all'): Finding => ({ ruleId, level: 'error', message: 'm', span: { file, line, column: 1, endLine: line, endColumn: 3 } });
const lines = (file: string, text: string, kind: Parameters<typeof commentDirectives>[2]) => commentDirectives(file, text, kind).map((d) => [d.lines.from, d.lines.to, d.ids.join(','), d.reason]);

describe('finding directives with a light comment scan', () => {
  it('line before, same line, stacked directives and backslash continuations', () => {
    const text = ['# permlint-ignore allow-all -- a', '# permlint-ignore ffi-grant -- b', 'RUN deno run \\', '    -A main.ts', 'x # permlint-ignore unscoped-grant,ffi-grant -- c'].join('\n');
    expect(lines('Dockerfile', text, 'dockerfile')).toEqual([
      [3, 4, 'allow-all', 'a'],
      [3, 4, 'ffi-grant', 'b'],
      [5, 5, 'unscoped-grant,ffi-grant', 'c'],
    ]);
  });
  it('skips quoted strings, look-alike words and `#` inside words', () => {
    const text = ['echo "# permlint-ignore allow-all -- no"', 'echo ${#x} # permlint-ignored allow-all -- no', "echo it's # permlint-ignore allow-all -- yes", 'a#permlint-ignore allow-all -- no'].join('\n');
    expect(lines('a.sh', text, 'shell')).toEqual([[3, 3, 'allow-all', 'yes']]);
  });
  it('prose that documents the syntax (`permlint-ignore <rule-id>`) is not a directive; a misspelt id still is', () => {
    const text = ['# permlint-ignore <rule-id>[,<rule-id>] -- <reason>', '# permlint-ignore allow_all -- typo', 'deno run -A x.ts'].join('\n');
    expect(lines('a.sh', text, 'shell')).toEqual([[3, 3, 'allow_all', 'typo']]);
  });
  it('uses // in deno.json(c) and TypeScript, # in YAML, both for shebang files, nothing for package.json', () => {
    const slash = '{\n  // permlint-ignore allow-all -- r\n  "a": "deno run -A x.ts", "u": "http://x" // permlint-ignore ffi-grant -- r\n}';
    expect(lines('deno.jsonc', slash, 'deno.json')).toEqual([
      [3, 3, 'allow-all', 'r'],
      [3, 3, 'ffi-grant', 'r'],
    ]);
    expect(lines('a.yaml', slash, 'kubernetes')).toEqual([]);
    expect(lines('tool', '#!/usr/bin/env -S deno run -A\n// permlint-ignore allow-all -- r\n', 'shebang')).toEqual([[3, 3, 'allow-all', 'r']]);
    expect(lines('package.json', '{"//": "# permlint-ignore allow-all -- r"}', 'package.json')).toEqual([]);
  });
  it('reads the Kubernetes annotation with the YAML parser and covers its object', async () => {
    const text = 'kind: Pod\nmetadata:\n  annotations:\n    permlint.dev/ignore: "allow-all -- r"\nspec:\n  containers: []\n---\nkind: Pod\n';
    const ds = await annotationDirectives('p.yaml', text, 'kubernetes');
    expect(ds.map((d) => [d.lines.from, d.lines.to, d.ids.join(','), d.reason])).toEqual([[1, 6, 'allow-all', 'r']]);
  });
});

describe('applying directives', () => {
  it('hides the named rule on the target line only, keeps everything else', async () => {
    const text = '# permlint-ignore allow-all -- reviewed\ndeno run -A a.ts\ndeno run -A b.ts\n';
    const r = await applySuppressions([finding('a.sh', 2), finding('a.sh', 2, 'unfrozen-lockfile'), finding('a.sh', 3)], new Map([['a.sh', { text, kind: 'shell' as const }]]), { inline: true, reportUnused: true, knownRules: KNOWN });
    expect(r.findings.map((f) => `${f.ruleId}:${f.span.line}`)).toEqual(['unfrozen-lockfile:2', 'allow-all:3']);
    expect(r.suppressed.map((s) => `${s.finding.ruleId}:${s.finding.span.line}`)).toEqual(['allow-all:2']);
    expect(r.problems).toEqual([]);
  });
  it('a directive without a reason hides nothing and is reported; an empty one too', async () => {
    const text = '# permlint-ignore allow-all\ndeno run -A a.ts\n# permlint-ignore -- why\n';
    const r = await applySuppressions([finding('a.sh', 2)], new Map([['a.sh', { text, kind: 'shell' as const }]]), { inline: true, reportUnused: false, knownRules: KNOWN });
    expect(r.findings).toHaveLength(1);
    expect(r.problems.map((p) => `${p.ruleId}:${p.span.line}`)).toEqual(['invalid-suppression:1', 'invalid-suppression:3']);
  });
  it('--no-inline-config reads nothing', async () => {
    const text = '# permlint-ignore allow-all -- r\ndeno run -A a.ts\n# permlint-ignore\n';
    const r = await applySuppressions([finding('a.sh', 2)], new Map([['a.sh', { text, kind: 'shell' as const }]]), { inline: false, reportUnused: true, knownRules: KNOWN });
    expect(r.findings).toHaveLength(1);
    expect(r.problems).toEqual([]);
  });
});
