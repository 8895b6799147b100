import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Finding } from '../../src/model.js';
import { RULES } from '../../rules/index.js';
import { github, escapeData, escapeProperty } from '../../src/report/github.js';
import { markdown } from '../../src/report/markdown.js';
import { junit } from '../../src/report/junit.js';
import { checkstyle } from '../../src/report/checkstyle.js';
import { gitlab } from '../../src/report/gitlab.js';
import type { ReportInput } from '../../src/report/types.js';
import { FIXTURES, runMain } from '../helpers.js';

const findings: Finding[] = [
  { ruleId: 'allow-all', level: 'error', message: '`-A` grants every permission, 100% of it', span: { file: 'deploy/a,b.sh', line: 3, column: 10, endLine: 3, endColumn: 12 } },
  { ruleId: 'unscoped-grant', level: 'warning', message: 'a | pipe\nand a new line <x>', span: { file: 'deno.json', line: 5, column: 2, endLine: 6, endColumn: 4 } },
  { ruleId: 'unscoped-grant', level: 'note', message: 'note & "quotes"', span: { file: 'deno.json', line: 9, column: 1, endLine: 9, endColumn: 5 } },
];
const input = (fs: Finding[]): ReportInput => ({
  findings: fs,
  rules: RULES.map((r) => r.meta),
  fileCount: 3,
  toolVersion: '0.1.0',
  root: '/repo',
  color: false,
  sources: new Map([
    ['deno.json', '{}'],
    ['deploy/a,b.sh', ''],
    ['clean.sh', ''],
  ]),
});

describe('--format github', () => {
  it('writes one workflow command per finding with the full position and the rule id as title', async () => {
    const out = github(input(findings)).split('\n');
    expect(out[0]).toBe('::error file=deploy/a%2Cb.sh,line=3,col=10,endLine=3,endColumn=12,title=allow-all::`-A` grants every permission, 100%25 of it (allow-all)');
    expect(out[1]).toBe('::warning file=deno.json,line=5,col=2,endLine=6,endColumn=4,title=unscoped-grant::a | pipe%0Aand a new line <x> (unscoped-grant)');
    expect(out[2]).toMatch(/^::notice file=deno\.json,line=9,col=1,endLine=9,endColumn=5,title=unscoped-grant::/);
  });
  it('follows the commands with the plain report (annotations are capped per step)', async () => {
    const out = github(input(findings));
    expect(out).toContain('✖ 3 problems (1 error, 1 warning, 1 note)');
    expect(out).not.toContain('\u001b[');
  });
  it('escapes like the actions toolkit', async () => {
    expect(escapeData('a%b\r\nc')).toBe('a%25b%0D%0Ac');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });
});

describe('--format markdown', () => {
  it('has a summary, a per-rule count and a table with escaped cells', async () => {
    const out = markdown(input(findings));
    expect(out).toContain('| 1 | 1 | 1 | 3 |');
    expect(out).toContain('| `unscoped-grant` | 2 |');
    expect(out).toContain('| 🟠 warning | `unscoped-grant` | `deno.json:5:2` | a \\| pipe and a new line &lt;x&gt; |');
  });
  it('says so when there is nothing', async () => {
    expect(markdown(input([]))).toContain('No problems in 3 files');
  });
});

describe('--format junit', () => {
  it('one suite per scanned file, one failing case per error or warning, a passing case for notes and clean files', async () => {
    const out = junit(input(findings));
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="permlint" tests="4" failures="2" errors="0">')).toBe(true);
    expect(out).toContain('<testsuite name="clean.sh" tests="1" failures="0" errors="0" skipped="0">');
    expect(out).toContain('<testsuite name="deno.json" tests="2" failures="1"');
    // a note is not a failure: its message goes to system-out
    expect(out).not.toContain('<failure type="unscoped-grant" message="note &amp; &quot;quotes&quot;">');
    expect(out).toContain('<system-out>note: note &amp; &quot;quotes&quot; (unscoped-grant)\nat deno.json:9:1</system-out>');
    expect((out.match(/<failure /g) ?? []).length).toBe(2);
    expect((out.match(/<testcase /g) ?? []).length).toBe(4);
    expect((out.match(/<testsuite /g) ?? []).length).toBe((out.match(/<\/testsuite>/g) ?? []).length);
  });
});

describe('--format checkstyle', () => {
  it('one <file> per file with findings, one <error> per finding with position, severity and rule', async () => {
    const out = checkstyle(input(findings));
    expect(out).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n' +
        '  <file name="deno.json">\n' +
        '    <error line="5" column="2" severity="warning" message="a | pipe\nand a new line &lt;x&gt;" source="permlint.unscoped-grant"/>\n' +
        '    <error line="9" column="1" severity="info" message="note &amp; &quot;quotes&quot;" source="permlint.unscoped-grant"/>\n' +
        '  </file>\n' +
        '  <file name="deploy/a,b.sh">\n' +
        '    <error line="3" column="10" severity="error" message="`-A` grants every permission, 100% of it" source="permlint.allow-all"/>\n' +
        '  </file>\n' +
        '</checkstyle>\n',
    );
  });
});

describe('--format gitlab (Code Quality)', () => {
  it('one issue per finding with check name, severity, a stable fingerprint and positions', async () => {
    const issues = JSON.parse(gitlab(input(findings))) as { check_name: string; severity: string; fingerprint: string; description: string; location: { path: string; positions: { begin: { line: number; column: number }; end: { line: number; column: number } } } }[];
    expect(issues.map((i) => `${i.check_name} ${i.severity} ${i.location.path}:${i.location.positions.begin.line}:${i.location.positions.begin.column}-${i.location.positions.end.line}:${i.location.positions.end.column}`)).toEqual([
      'allow-all critical deploy/a,b.sh:3:10-3:12',
      'unscoped-grant minor deno.json:5:2-6:4',
      'unscoped-grant info deno.json:9:1-9:5',
    ]);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(3);
    expect(issues[0]!.description).toBe(findings[0]!.message);
    // the same finding in an edited file keeps its fingerprint
    const moved = { ...findings[0]!, span: { ...findings[0]!.span, line: 7, endLine: 7 } };
    expect((JSON.parse(gitlab(input([moved]))) as { fingerprint: string }[])[0]!.fingerprint).toBe(issues[0]!.fingerprint);
  });
});

describe('machine formats through the CLI', () => {
  it.each(['github', 'markdown', 'junit', 'sarif', 'json', 'checkstyle', 'gitlab'])('%s exits like stylish and writes nothing to stderr', async (format) => {
    const r = await runMain(['--format', format, '.'], join(FIXTURES, 'demo'), { FORCE_COLOR: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('\u001b[');
  });
});
