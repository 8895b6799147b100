/**
 * The command line: `permlint [paths…]` and friends. Parses argv, loads config, runs
 * the pipeline (src/lint.ts) and a reporter, and decides the exit code:
 * 0 nothing at or above --fail-on; 1 findings at or above it (or too many warnings);
 * 2 usage, config or internal error, or a path that does not exist.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Finding, Level } from './model.js';
import type { EngineOptions, LevelSetting } from './engine.js';
import type { ResolvedConfig } from './config.js';
import { packageFile, packageVersion } from './package-info.js';
import { FORMATS, MACHINE_FORMATS } from './report/formats.js';

// Loaded on first use (loadPipeline): `--version`, `--help` and `explain` never load the lint
// pipeline, the rules, the reporters, the config reader or the audit subsystem.
let MissingPathError: typeof import('./lint.js').MissingPathError;
let runLint: typeof import('./lint.js').lint;
let RULES: typeof import('../rules/index.js').RULES;
let REPORTERS: typeof import('./report/index.js').REPORTERS;
let CONFIG_NAMES: typeof import('./config.js').CONFIG_NAMES;
let ConfigError: typeof import('./config.js').ConfigError;
let STARTER_CONFIG: typeof import('./config.js').STARTER_CONFIG;
let findConfig: typeof import('./config.js').findConfig;
let loadConfig: typeof import('./config.js').loadConfig;
let resolveConfig: typeof import('./config.js').resolveConfig;
let SUPPRESSION_RULES: typeof import('./suppress.js').SUPPRESSION_RULES;
let BaselineError: typeof import('./baseline.js').BaselineError;
let makeBaseline: typeof import('./baseline.js').makeBaseline;
let readBaseline: typeof import('./baseline.js').readBaseline;
let writeBaseline: typeof import('./baseline.js').writeBaseline;
let createProgress: typeof import('./progress.js').createProgress;
let progressWanted: typeof import('./progress.js').progressWanted;
let KNOWN_RULES: string[];
let pipeline: Promise<void> | undefined;

function loadPipeline(): Promise<void> {
  pipeline ??= (async () => {
    const [lintM, rulesM, reportM, configM, suppressM, baselineM, progressM] = await Promise.all([
      import('./lint.js'),
      import('../rules/index.js'),
      import('./report/index.js'),
      import('./config.js'),
      import('./suppress.js'),
      import('./baseline.js'),
      import('./progress.js'),
    ]);
    ({ MissingPathError, lint: runLint } = lintM);
    ({ RULES } = rulesM);
    ({ REPORTERS } = reportM);
    ({ CONFIG_NAMES, ConfigError, STARTER_CONFIG, findConfig, loadConfig, resolveConfig } = configM);
    ({ SUPPRESSION_RULES } = suppressM);
    ({ BaselineError, makeBaseline, readBaseline, writeBaseline } = baselineM);
    ({ createProgress, progressWanted } = progressM);
    KNOWN_RULES = [...RULES.map((r) => r.meta.id), ...SUPPRESSION_RULES.map((r) => r.id)];
  })();
  return pipeline;
}

export const VERSION = packageVersion();

export class UsageError extends Error {}

const HELP = `permlint ${VERSION} — static linter for Deno and Node.js permission configurations

Usage:
  permlint [paths…] [options]        lint files and folders (default: .)
  permlint audit [paths…]            every invocation and declaration with its effective permissions
  permlint diff <git-ref> [paths…]   permissions widened or narrowed since <git-ref>
  permlint infer <entrypoint|task>   least-privilege flags from the code an entrypoint reaches
  permlint explain <rule-id>         show a rule's documentation
  permlint rules                     list every rule
  permlint init                      write a starter permlint.config.json

Options:
  --format <name>                 ${FORMATS.join(', ')} (default: stylish)
  --output <file>                 write the report to a file instead of stdout
  --config <file>                 use this config file (JSON or YAML)
  --no-config                     ignore config files
  --fail-on <level>               error | warning | note | never (default: error)
  --max-warnings <n>              also fail when there are more than n warnings
  --rule <id>=<level>             set a rule's level (error, warning, note, off); repeatable
  --ignore <glob>                 skip matching files; repeatable
  --baseline <file>               hide the findings recorded in this baseline; report stale entries
  --write-baseline <file>         record the current findings as the baseline
  --no-inline-config              ignore permlint-ignore comments and annotations
  --report-unused-suppressions    report permlint-ignore directives that hide nothing
  --fix                           apply safe fixes (mechanical mistakes) and report what is left
  --fix=all                       also rewrite grants to the least privilege inferred from the code
  --fix-dry-run                   print the fixes as a diff, write nothing (with --fix=all: every fix)
  --quiet                         report errors only
  --color / --no-color            force colours on or off (NO_COLOR is honoured)
  --version                       print the version
  --help                          print this help

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it,
2 usage, configuration or internal error.
`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stderr is a terminal (progress); defaults to process.stderr. */
  stderrIsTTY?: boolean;
}

const LEVELS: Level[] = ['note', 'warning', 'error'];

export async function main(argv: string[], io: Io): Promise<number> {
  // audit and diff parse their own options (and their own --help)
  if (argv[0] === 'audit' || argv[0] === 'diff') return (await import('./audit/cli.js')).runAuditCommand(argv[0], argv, io);
  if (argv[0] === 'infer') return (await import('./infer/cli.js')).runInferCommand(argv, io);
  let args;
  try {
    args = parseArgs({
      // `--fix=all` / `--fix=safe` (zizmor's spelling) on top of the boolean --fix
      args: argv.map((a) => (a === '--fix=all' ? '--fix-all' : a === '--fix=safe' ? '--fix' : a)),
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string' },
        'max-warnings': { type: 'string' },
        rule: { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        config: { type: 'string', short: 'c' },
        'no-config': { type: 'boolean' },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        'no-inline-config': { type: 'boolean' },
        'report-unused-suppressions': { type: 'boolean' },
        force: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
        fix: { type: 'boolean' },
        'fix-all': { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
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
  const [first, ...rest] = args.positionals;
  // a rule's documentation is a file of its own: no rule needs loading to show it
  if (first === 'explain' && rest[0] && /^[a-z0-9-]+$/.test(rest[0]) && existsSync(packageFile(`docs/rules/${rest[0]}.md`))) {
    io.stdout(readFileSync(packageFile(`docs/rules/${rest[0]}.md`), 'utf8'));
    return 0;
  }
  await loadPipeline();
  try {
    if (first === 'explain') return explain(rest[0], io);
    if (first === 'rules') {
      for (const r of [...RULES.map((x) => x.meta), ...SUPPRESSION_RULES]) io.stdout(`${r.id.padEnd(28)} ${r.level.padEnd(8)} ${r.description}\n`);
      return 0;
    }
    if (first === 'init') return init(o, io);
    return await lint(args.positionals, o, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof BaselineError) {
      io.stderr(`permlint: ${e.message}\n`);
      return 2;
    }
    io.stderr(`permlint: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

function explain(id: string | undefined, io: Io): number {
  if (!id) throw new UsageError('`permlint explain` needs a rule id (see `permlint rules`)');
  const meta = RULES.find((r) => r.meta.id === id)?.meta ?? SUPPRESSION_RULES.find((r) => r.id === id);
  if (!meta) throw new UsageError(`unknown rule \`${id}\`${suggest(id)}`);
  try {
    io.stdout(readFileSync(packageFile(`docs/rules/${id}.md`), 'utf8'));
  } catch {
    const more = SUPPRESSION_RULES.includes(meta) ? '\nSee docs/configuration.md ("Inline suppressions").\n' : '';
    io.stdout(`${meta.id} (${meta.level}): ${meta.description}\n${more}`);
  }
  return 0;
}

function init(o: Opts, io: Io): number {
  const existing = CONFIG_NAMES.map((n) => join(io.cwd, n)).find((p) => existsSync(p));
  if (existing && !o.force) throw new UsageError(`${relative(io.cwd, existing)} already exists (use --force to overwrite permlint.config.json)`);
  const path = join(io.cwd, 'permlint.config.json');
  writeFileSync(path, `${JSON.stringify(STARTER_CONFIG, null, 2)}\n`);
  io.stdout(`wrote permlint.config.json — see docs/configuration.md for every setting\n`);
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

async function config(o: Opts, io: Io): Promise<ResolvedConfig | undefined> {
  if (o['no-config']) {
    if (o.config) throw new UsageError('--config and --no-config cannot be used together');
    return undefined;
  }
  const given = o.config as string | undefined;
  const path = given ? resolve(io.cwd, given) : findConfig(io.cwd);
  if (!path) return undefined;
  if (given && !existsSync(path)) throw new UsageError(`no such config file: ${given}`);
  const shown = relative(io.cwd, path) || path;
  try {
    return resolveConfig((await loadConfig(path, KNOWN_RULES)).config);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.message.split(path).join(shown));
    throw e;
  }
}

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
  const cliLevels: Record<string, LevelSetting> = {};
  for (const r of (o.rule as string[] | undefined) ?? []) {
    const [id, level] = r.split('=');
    if (!id || !level || !['error', 'warning', 'note', 'off'].includes(level)) throw new UsageError(`--rule takes <rule-id>=<error|warning|note|off>, not \`${r}\``);
    if (!KNOWN_RULES.includes(id)) throw new UsageError(`unknown rule \`${id}\`${suggest(id)}`);
    cliLevels[id] = level as LevelSetting;
  }
  if (o.baseline && o['write-baseline']) throw new UsageError('--baseline and --write-baseline cannot be used together');

  const cfg = await config(o, io);
  const engine: EngineOptions = cfg?.engine ?? {};
  if (Object.keys(cliLevels).length) {
    // --rule wins over the config file, overrides included
    engine.overrides = [...(engine.overrides ?? []), { matches: () => true, rules: Object.fromEntries(Object.entries(cliLevels).map(([id, level]) => [id, { level }])) }];
  }

  const progress = createProgress(
    progressWanted({ stderrIsTTY: io.stderrIsTTY ?? !!process.stderr.isTTY, format, machineFormat: MACHINE_FORMATS.has(format), env: io.env, quiet: !!o.quiet }),
    io.stderr,
  );
  let result;
  try {
    result = await runLint(paths, {
      cwd: io.cwd,
      ignore: [...(cfg?.ignore ?? []), ...((o.ignore as string[] | undefined) ?? [])],
      engine,
      ...(cfg?.contextOverride ? { contextOverride: cfg.contextOverride } : {}),
      inline: !o['no-inline-config'],
      reportUnusedSuppressions: !!o['report-unused-suppressions'],
      ...(o.baseline ? { baseline: readBaseline(resolve(io.cwd, o.baseline as string), o.baseline as string) } : {}),
      onProgress: (m) => progress.update(m),
      onWarning: (m) => io.stderr(`permlint: ${m}\n`),
    });
  } catch (e) {
    progress.done();
    if (e instanceof MissingPathError) throw new UsageError(e.message);
    throw e;
  }
  const { files, root } = result;
  let findings = result.findings;
  const sources = new Map([...files].map(([k, v]) => [k, v.text]));
  if (o.fix || o['fix-all'] || o['fix-dry-run'] || MACHINE_FORMATS.has(format)) {
    const { applyFixes, attachFixes, computeFixes, unifiedDiff } = await import('./fix/index.js');
    const all = !!o['fix-all'];
    const fixes = computeFixes(result.model, sources, true);
    const chosen = fixes.filter((f) => all || f.safety === 'safe');
    if (o['fix-dry-run'] || o.fix || all) {
      progress.done();
      const applied = applyFixes(chosen, sources);
      if (o['fix-dry-run']) {
        io.stdout(unifiedDiff(sources, applied.changed));
        io.stderr(`permlint: ${applied.applied.length} fix${applied.applied.length === 1 ? '' : 'es'} for ${applied.changed.size} file${applied.changed.size === 1 ? '' : 's'} (dry run, nothing written)${all ? '' : `; ${fixes.length - chosen.length} more with --fix=all`}\n`);
        return 0;
      }
      for (const [file, text] of applied.changed) writeFileSync(resolve(root, file), text);
      io.stderr(`permlint: applied ${applied.applied.length} fix${applied.applied.length === 1 ? '' : 'es'} to ${applied.changed.size} file${applied.changed.size === 1 ? '' : 's'}${applied.skipped.length ? ` (${applied.skipped.length} overlapping left for another run)` : ''}\n`);
      // report what is left
      return lint(paths, { ...o, fix: false, 'fix-all': false }, io);
    }
    findings = attachFixes(findings, fixes, sources);
  }
  if (o['write-baseline']) {
    writeBaseline(resolve(io.cwd, o['write-baseline'] as string), makeBaseline(findings, sources), o['write-baseline'] as string);
    io.stderr(`permlint: wrote ${findings.length} finding${findings.length === 1 ? '' : 's'} to the baseline ${o['write-baseline'] as string}\n`);
    findings = [];
  } else if (result.staleBaseline.length) {
    const stale = result.staleBaseline;
    const list = stale.slice(0, 20).map((e) => `  ${e.file}  ${e.rule}  ${e.text}\n`).join('');
    const more = stale.length > 20 ? `  … and ${stale.length - 20} more\n` : '';
    io.stderr(
      `permlint: ${stale.length} baseline entr${stale.length === 1 ? 'y no longer matches' : 'ies no longer match'} a finding (fixed or changed); prune with --write-baseline ${o.baseline as string}:\n${list}${more}`,
    );
  }
  if (o.quiet) findings = findings.filter((f) => f.level === 'error');
  progress.done();

  const color = o['no-color'] ? false : o.color ? true : io.isTTY && !io.env.NO_COLOR && !o.output;
  const report = reporter({
    findings,
    rules: [...RULES.map((r) => r.meta), ...SUPPRESSION_RULES],
    fileCount: result.discovered.length,
    toolVersion: VERSION,
    root,
    color,
    sources,
    skipped: result.skipped.filter((s) => !s.reason.startsWith('larger') && !s.reason.startsWith('cannot read')),
  });
  if (o.output) {
    const out = resolve(io.cwd, o.output as string);
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, report);
    } catch (e) {
      throw new UsageError(`cannot write ${o.output as string}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  else io.stdout(report);
  return exitCode(findings, failOn, maxWarnings);
}

export function exitCode(findings: Finding[], failOn: string, maxWarnings?: number): number {
  if (maxWarnings !== undefined && findings.filter((f) => f.level === 'warning').length > maxWarnings) return 1;
  if (failOn === 'never') return 0;
  const min = LEVELS.indexOf(failOn as Level);
  return findings.some((f) => LEVELS.indexOf(f.level) >= min) ? 1 : 0;
}
