/**
 * The command line: `permlint [paths…]` and friends. Parses argv, loads config, runs
 * discover → scan → engine → reporter, and decides the exit code:
 * 0 nothing at or above --fail-on; 1 findings at or above it (or too many warnings);
 * 2 usage, config or internal error, or a path that does not exist.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type { Finding, Level } from './model.js';
import { discover } from './discover.js';
import { scan } from './scan.js';
import { runRules, type LevelSetting } from './engine.js';
import { RULES } from '../rules/index.js';
import { REPORTERS } from './report/index.js';
import { runAuditCommand } from './audit/cli.js';

const require = createRequire(import.meta.url);
export const VERSION = (require('../../package.json') as { version: string }).version;

export class UsageError extends Error {}

const HELP = `permlint ${VERSION} — static linter for Deno and Node.js permission configurations

Usage:
  permlint [paths…] [options]        lint files and folders (default: .)
  permlint explain <rule-id>         show a rule's documentation
  permlint rules                     list every rule

Options:
  --format <name>        ${Object.keys(REPORTERS).join(', ')} (default: stylish)
  --output <file>        write the report to a file instead of stdout
  --fail-on <level>      error | warning | note | never (default: error)
  --max-warnings <n>     also fail when there are more than n warnings
  --rule <id>=<level>    set a rule's level (error, warning, note, off); repeatable
  --ignore <glob>        skip matching files; repeatable
  --quiet                report errors only
  --color / --no-color   force colours on or off (NO_COLOR is honoured)
  --version              print the version
  --help                 print this help

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it,
2 usage, configuration or internal error.
`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const LEVELS: Level[] = ['note', 'warning', 'error'];

export async function main(argv: string[], io: Io): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string' },
        'max-warnings': { type: 'string' },
        rule: { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        quiet: { type: 'boolean', short: 'q' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.stderr(`permlint: ${(e as Error).message}\nRun \`permlint --help\` for usage.\n`);
    return 2;
  }
  const o = args.values;
  if (o.help) {
    io.stdout(HELP);
    return 0;
  }
  if (o.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  try {
    const [first, ...rest] = args.positionals;
    if (first === 'audit' || first === 'diff') return await runAuditCommand(first, argv, io);
    if (first === 'explain') return explain(rest[0], io);
    if (first === 'rules') {
      for (const r of RULES) io.stdout(`${r.meta.id.padEnd(28)} ${r.meta.level.padEnd(8)} ${r.meta.description}\n`);
      return 0;
    }
    return await lint(args.positionals, o, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`permlint: ${e.message}\n`);
      return 2;
    }
    io.stderr(`permlint: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

function explain(id: string | undefined, io: Io): number {
  if (!id) throw new UsageError('`permlint explain` needs a rule id (see `permlint rules`)');
  const rule = RULES.find((r) => r.meta.id === id);
  if (!rule) throw new UsageError(`unknown rule \`${id}\`${suggest(id)}`);
  try {
    io.stdout(require('node:fs').readFileSync(new URL(`../../docs/rules/${id}.md`, import.meta.url), 'utf8'));
  } catch {
    io.stdout(`${rule.meta.id} (${rule.meta.level}): ${rule.meta.description}\n`);
  }
  return 0;
}

export function suggest(id: string): string {
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length]![b.length]!;
  };
  const best = RULES.map((r) => ({ id: r.meta.id, d: dist(id, r.meta.id) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(3, id.length / 3) ? `; did you mean \`${best.id}\`?` : '';
}

type Opts = Record<string, string | boolean | string[] | undefined>;

async function lint(paths: string[], o: Opts, io: Io): Promise<number> {
  const format = (o.format as string | undefined) ?? 'stylish';
  const reporter = REPORTERS[format];
  if (!reporter) throw new UsageError(`unknown format \`${format}\`; use one of ${Object.keys(REPORTERS).join(', ')}`);
  const failOn = (o['fail-on'] as string | undefined) ?? 'error';
  if (![...LEVELS, 'never'].includes(failOn)) throw new UsageError(`--fail-on takes error, warning, note or never, not \`${failOn}\``);
  let maxWarnings: number | undefined;
  if (o['max-warnings'] !== undefined) {
    maxWarnings = Number(o['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError('--max-warnings takes a whole number');
  }
  const levels: Record<string, LevelSetting> = {};
  for (const r of (o.rule as string[] | undefined) ?? []) {
    const [id, level] = r.split('=');
    if (!id || !level || !['error', 'warning', 'note', 'off'].includes(level)) throw new UsageError(`--rule takes <rule-id>=<error|warning|note|off>, not \`${r}\``);
    if (!RULES.some((x) => x.meta.id === id)) throw new UsageError(`unknown rule \`${id}\`${suggest(id)}`);
    levels[id] = level as LevelSetting;
  }

  const found = discover(paths, { ignore: (o.ignore as string[] | undefined) ?? [] }, io.cwd);
  if (found.missing.length) throw new UsageError(`no such file or directory: ${found.missing.join(', ')}`);
  const { model, files } = await scan(found.files);
  for (const s of found.skipped) {
    if (s.reason.startsWith('larger') || s.reason.startsWith('cannot read')) {
      model.problems.push({ file: s.path, span: { file: s.path, line: 1, column: 1, endLine: 1, endColumn: 1 }, message: `not scanned: ${s.reason}` });
    }
  }
  let { findings } = runRules(model, RULES, { levels });
  if (o.quiet) findings = findings.filter((f) => f.level === 'error');

  const color = o['no-color'] ? false : o.color ? true : io.isTTY && !io.env.NO_COLOR && !o.output;
  const sources = new Map([...files].map(([k, v]) => [k, v.text]));
  const report = reporter({
    findings,
    rules: RULES.map((r) => r.meta),
    fileCount: found.files.length,
    toolVersion: VERSION,
    root: found.root,
    color,
    sources,
    skipped: found.skipped.filter((s) => !s.reason.startsWith('larger') && !s.reason.startsWith('cannot read')),
  });
  if (o.output) writeFileSync(o.output as string, report);
  else io.stdout(report);
  return exitCode(findings, failOn, maxWarnings);
}

export function exitCode(findings: Finding[], failOn: string, maxWarnings?: number): number {
  if (maxWarnings !== undefined && findings.filter((f) => f.level === 'warning').length > maxWarnings) return 1;
  if (failOn === 'never') return 0;
  const min = LEVELS.indexOf(failOn as Level);
  return findings.some((f) => LEVELS.indexOf(f.level) >= min) ? 1 : 0;
}
