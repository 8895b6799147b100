/**
 * The command line: `permlint [paths…]` and friends. Parses argv, loads config, runs
 * the pipeline (src/lint.ts) and the reporters, and decides the exit code:
 * 0 nothing at or above --fail-on; 1 findings at or above it (or too many warnings);
 * 2 usage, config or internal error, or a path that does not exist.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Confidence, ContextKind, Finding, Level, Persona } from './model.js';
import { CONFIDENCES, PERSONAS, selectForPersona } from './persona.js';
import type { EngineOptions, LevelSetting } from './engine.js';
import type { LintOptions, LintResult } from './lint.js';
import type { ResolvedConfig } from './config.js';
import type { ReportInput } from './report/types.js';
import { homepage, packageFile } from './package-info.js';
import { COMMAND_HELP, HELP, VERSION, quickAnswer } from './quick.js';
import { FORMATS, MACHINE_FORMATS } from './report/formats.js';
import { loadReporter } from './report/load.js';
import { nodeFs } from './fs.js';
import { COMMANDS, OPTIONS, lintsNamedPaths, parseCliArgs, type Opts } from './cli-options.js';

// Loaded on first use (loadPipeline): `--version`, `--help` and `explain` never load the lint
// pipeline, the rules, the reporters, the config reader or the audit subsystem.
let MissingPathError: typeof import('./lint.js').MissingPathError;
let runLint: typeof import('./lint.js').lint;
let byReportOrder: typeof import('./lint.js').byReportOrder;
let resolveLevel: typeof import('./engine.js').resolveLevel;
let RULES: typeof import('../rules/index.js').RULES;
let CONFIG_NAMES: typeof import('./config.js').CONFIG_NAMES;
let ConfigError: typeof import('./config.js').ConfigError;
let STARTER_CONFIG: typeof import('./config.js').STARTER_CONFIG;
let findConfigUp: typeof import('./config.js').findConfigUp;
let repositoryRoot: typeof import('./config.js').repositoryRoot;
let closest: typeof import('./config.js').closest;
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
    const [lintM, rulesM, configM, suppressM, baselineM, progressM, engineM] = await Promise.all([
      import('./lint.js'),
      import('../rules/index.js'),
      import('./config.js'),
      import('./suppress.js'),
      import('./baseline.js'),
      import('./progress.js'),
      import('./engine.js'),
    ]);
    ({ MissingPathError, lint: runLint, byReportOrder } = lintM);
    ({ RULES } = rulesM);
    ({ CONFIG_NAMES, ConfigError, STARTER_CONFIG, findConfigUp, repositoryRoot, closest, loadConfig, resolveConfig } = configM);
    ({ SUPPRESSION_RULES } = suppressM);
    ({ BaselineError, makeBaseline, readBaseline, writeBaseline } = baselineM);
    ({ createProgress, progressWanted } = progressM);
    ({ resolveLevel } = engineM);
    KNOWN_RULES = [...RULES.map((r) => r.meta.id), ...SUPPRESSION_RULES.map((r) => r.id)];
  })();
  return pipeline;
}

export { VERSION };

export class UsageError extends Error {}


export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stderr is a terminal (progress); defaults to process.stderr. */
  stderrIsTTY?: boolean;
  /** Standard input, for --stdin (default: process.stdin). */
  readStdin?: () => Promise<string>;
}

const LEVELS: Level[] = ['note', 'warning', 'error'];

/** The formats asked for, before parsing succeeded (to report a usage error in the format the caller reads). */
function sniffFormats(argv: string[]): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if ((a === '--format' || a === '-f') && argv[i + 1]) out.push(argv[i + 1]!);
    else if (a.startsWith('--format=')) out.push(a.slice(9));
  });
  return out;
}

function optionHint(message: string): string {
  const m = /Unknown option '(-{1,2}[^']+)'/.exec(message);
  if (!m) return '';
  const given = m[1]!.replace(/^-+/, '').split('=')[0]!;
  const names = Object.keys(OPTIONS);
  const best = closest(given, names);
  return best ? `; did you mean \`--${best}\`?` : '';
}

export async function main(argv: string[], io: Io): Promise<number> {
  // the same answers bin/permlint.js gives before it loads this module
  const quick = quickAnswer(argv);
  if (quick !== undefined) {
    io.stdout(quick);
    return 0;
  }
  // audit and diff parse their own options (and their own --help)
  if (argv[0] === 'audit' || argv[0] === 'diff') return (await import('./audit/cli.js')).runAuditCommand(argv[0], argv, io);
  if (argv[0] === 'infer') return (await import('./infer/cli.js')).runInferCommand(argv, io);
  let args;
  try {
    // `--fix=all` / `--fix=safe` (zizmor's spelling) on top of the boolean --fix
    args = parseCliArgs(argv);
  } catch (e) {
    await loadPipeline(); // for the did-you-mean and the error classes
    const raw = (e as Error).message;
    const unknown = /^Unknown option '[^']+'/.exec(raw)?.[0];
    const message = `${unknown ?? raw.split('\n')[0]}${optionHint(raw)}`;
    return fail(new UsageError(message), sniffFormats(argv), io, 'Run `permlint --help` for usage.');
  }
  const o = args.values as Opts;
  const [first, ...rest] = args.positionals;
  const command = first && COMMAND_HELP[first] ? first : undefined;
  if (o.help) {
    io.stdout(command ? COMMAND_HELP[command]! : HELP);
    return 0;
  }
  if (o.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const formats = (o.format as string[] | undefined) ?? [];
  // a rule's documentation is a file of its own: no rule needs loading to show it
  if (first === 'explain' && rest[0] && /^[a-z0-9-]+$/.test(rest[0]) && existsSync(packageFile(`docs/rules/${rest[0]}.md`))) {
    io.stdout(readFileSync(packageFile(`docs/rules/${rest[0]}.md`), 'utf8'));
    return 0;
  }
  // a lint run on named files that will use the parser thread (a TypeScript/JavaScript file the
  // sniff keeps, a `#!` script) starts it now, so that its start overlaps loading the pipeline
  if (lintsNamedPaths(args)) {
    const { warmParserThreadFor } = await import('./parser-warmup.js');
    await warmParserThreadFor(args.positionals, (p) => {
      try {
        return nodeFs.readFile(resolve(io.cwd, p), 2 * 1024 * 1024, { noFollow: true });
      } catch {
        return undefined;
      }
    });
  }
  await loadPipeline();
  try {
    if (first === 'explain') return explain(rest[0], io);
    if (first === 'rules') return listRules(formats, io);
    if (first === 'init') return init(o, io);
    if (first === 'lsp') {
      // loaded only for this command: the language server's packages cost start-up time
      const { runLanguageServer } = await import('./lsp/server.js');
      await runLanguageServer();
      return 0;
    }
    if (o['print-config'] !== undefined) return await printConfig(o['print-config'] as string, o, io);
    return await lint(args.positionals, o, io);
  } catch (e) {
    return fail(e, formats, io);
  }
}

/** Exit 2 with the message on stderr; with --format json or sarif, also as a document of that format on stdout. */
function fail(e: unknown, formats: string[], io: Io, hint?: string): number {
  const known = e instanceof UsageError || e instanceof ConfigError || e instanceof BaselineError;
  const message = known ? (e as Error).message : `internal error: ${(e as Error).stack ?? String(e)}`;
  io.stderr(`permlint: ${message}\n${hint ? `${hint}\n` : ''}`);
  const machine = formats.map((f) => f.split('=')[0]!).find((f) => f === 'json' || f === 'sarif');
  const kind = e instanceof UsageError ? 'usage' : e instanceof ConfigError ? 'config' : e instanceof BaselineError ? 'baseline' : 'internal';
  const text = known ? message : `internal error: ${(e as Error).message}`;
  if (machine === 'json') io.stdout(`${JSON.stringify({ version: 1, tool: { name: 'permlint', version: VERSION }, error: { kind, message: text } }, null, 2)}\n`);
  if (machine === 'sarif') io.stdout(`${JSON.stringify(sarifError(text), null, 2)}\n`);
  return 2;
}

/** A SARIF log of a run that could not complete: no results, the reason as a tool notification. */
function sarifError(message: string) {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'permlint', version: VERSION, semanticVersion: VERSION, informationUri: homepage(), rules: [] } },
        invocations: [{ executionSuccessful: false, exitCode: 2, toolExecutionNotifications: [{ level: 'error', message: { text: message } }] }],
        results: [],
      },
    ],
  };
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

function listRules(formats: string[], io: Io): number {
  const format = formats[0] ?? 'text';
  const all = [...RULES.map((x) => x.meta), ...SUPPRESSION_RULES];
  if (format === 'json') {
    const rules = all.map((r) => ({ id: r.id, level: r.level, category: r.category, securitySeverity: r.severity.toFixed(1), description: r.description, docs: `docs/rules/${r.id}.md` }));
    io.stdout(`${JSON.stringify({ version: 1, rules }, null, 2)}\n`);
    return 0;
  }
  if (format !== 'text' && format !== 'stylish') throw new UsageError(`\`permlint rules\` takes --format text or json, not \`${format}\``);
  for (const r of all) io.stdout(`${r.id.padEnd(28)} ${r.level.padEnd(8)} ${r.description}\n`);
  return 0;
}

/**
 * The `$schema` of a new config: the schema of a local install (git URL, tarball) when the
 * project has one, else the schema file of the permlint that runs (global or npx install),
 * as a path relative to the config when it is inside the project, else a file URL.
 */
export function schemaReference(cwd: string): string {
  for (let d = resolve(cwd); ; ) {
    const local = join(d, 'node_modules', 'permlint', 'schema', 'permlint.schema.json');
    if (existsSync(local)) return toRef(cwd, local);
    if (existsSync(join(d, '.git')) || dirname(d) === d) break;
    d = dirname(d);
  }
  return toRef(cwd, packageFile('schema/permlint.schema.json'));
}

function toRef(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  if (!rel.startsWith('..') && !isAbsolute(rel)) return `./${rel.split(sep).join('/')}`;
  const repo = repositoryRoot(cwd);
  if (repo && !relative(repo, file).startsWith('..')) return rel.split(sep).join('/');
  return pathToFileURL(file).href;
}

function init(o: Opts, io: Io): number {
  const existing = CONFIG_NAMES.map((n) => join(io.cwd, n)).find((p) => existsSync(p));
  if (existing && !o.force) throw new UsageError(`${relative(io.cwd, existing)} already exists (use --force to overwrite permlint.config.json)`);
  const path = join(io.cwd, 'permlint.config.json');
  writeFileSync(path, `${JSON.stringify({ ...STARTER_CONFIG, $schema: schemaReference(io.cwd) }, null, 2)}\n`);
  io.stdout(`wrote permlint.config.json — see docs/configuration.md for every setting\n`);
  return 0;
}

export function suggest(id: string): string {
  const best = closest(id, RULES.map((r) => r.meta.id));
  return best ? `; did you mean \`${best}\`?` : '';
}

/** The config file for a run rooted at `start`: --config, none (--no-config), or the nearest one above it. */
function configPath(o: Opts, io: Io, start: string): string | undefined {
  if (o['no-config']) {
    if (o.config) throw new UsageError('--config and --no-config cannot be used together');
    return undefined;
  }
  const given = o.config as string | undefined;
  if (given) {
    const path = resolve(io.cwd, given);
    if (!existsSync(path)) throw new UsageError(`no such config file: ${given}`);
    return path;
  }
  return findConfigUp(start);
}

async function loadResolved(path: string | undefined, root: string, io: Io): Promise<ResolvedConfig | undefined> {
  if (!path) return undefined;
  const shown = relative(io.cwd, path) || path;
  try {
    return resolveConfig((await loadConfig(path, KNOWN_RULES)).config, { configDir: dirname(path), root });
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.message.split(path).join(shown));
    throw e;
  }
}

interface Format {
  name: string;
  file?: string;
}

function parseFormats(values: string[], output: string | undefined): Format[] {
  const list = (values.length ? values : ['stylish']).map((v) => {
    const eq = v.indexOf('=');
    const f: Format = eq < 0 ? { name: v } : { name: v.slice(0, eq), file: v.slice(eq + 1) };
    if (!(FORMATS as readonly string[]).includes(f.name)) {
      const hint = closest(f.name, [...FORMATS]);
      throw new UsageError(`unknown format \`${f.name}\`${hint ? `; did you mean \`${hint}\`?` : ''}; use one of ${FORMATS.join(', ')}`);
    }
    if (f.file === '') throw new UsageError(`--format ${f.name}= needs a file name after =`);
    return f;
  });
  const toStdout = list.filter((f) => !f.file);
  if (toStdout.length > 1) throw new UsageError(`only one format can go to ${output ? '--output' : 'stdout'}; give the others a file (--format ${toStdout[1]!.name}=<file>)`);
  if (output && toStdout[0]) toStdout[0].file = output;
  return list;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** Positional globs (quoted, so the shell did not expand them; Windows shells never do) become the files they match. */
async function expandGlobs(paths: string[], cwd: string): Promise<string[]> {
  if (!paths.some((p) => GLOB_CHARS.test(p) && !existsSync(resolve(cwd, p)))) return paths;
  const { compileGlob } = await import('./glob.js');
  const out: string[] = [];
  for (const p of paths) {
    if (!GLOB_CHARS.test(p) || existsSync(resolve(cwd, p))) {
      out.push(p);
      continue;
    }
    const pattern = p.split(sep).join('/').replace(/^\.\//, '');
    const isMatch = compileGlob(pattern);
    // walk only below the glob's fixed leading folders
    const fixed = pattern.split('/').findIndex((seg) => GLOB_CHARS.test(seg));
    const start = pattern.split('/').slice(0, Math.max(0, fixed)).join('/');
    const matches = listTree(cwd, start)
      .filter((e) => !e.endsWith('/') && isMatch(e))
      .sort();
    if (!matches.length) throw new UsageError(`no files match \`${p}\``);
    out.push(...matches);
  }
  return out;
}

/** A path that does not exist but is close to a command name was probably meant as the command. */
function missingHint(e: { paths: string[] }, first: string | undefined): string {
  if (!first || e.paths[0] !== first || /[/.\\]/.test(first)) return '';
  const best = closest(first, COMMANDS);
  return best ? `; did you mean the command \`${best}\`?` : '';
}

interface Settings {
  persona: Persona;
  minConfidence?: Confidence;
  failOn: string;
  maxWarnings: number | undefined;
  cliLevels: Record<string, LevelSetting>;
}

function settings(o: Opts): Settings {
  const failOn = (o['fail-on'] as string | undefined) ?? 'error';
  if (![...LEVELS, 'never'].includes(failOn)) throw new UsageError(`--fail-on takes error, warning, note or never, not \`${failOn}\``);
  let maxWarnings: number | undefined;
  if (o['max-warnings'] !== undefined) {
    const n = Number(o['max-warnings']);
    if (!Number.isInteger(n) || n < -1 || (o['max-warnings'] as string).trim() === '') throw new UsageError('--max-warnings takes a whole number (-1: no limit)');
    maxWarnings = n === -1 ? undefined : n;
  }
  const cliLevels: Record<string, LevelSetting> = {};
  for (const r of (o.rule as string[] | undefined) ?? []) {
    const [id, level] = r.split('=');
    if (!id || !level || !['error', 'warning', 'note', 'off'].includes(level)) throw new UsageError(`--rule takes <rule-id>=<error|warning|note|off>, not \`${r}\``);
    if (!KNOWN_RULES.includes(id)) throw new UsageError(`unknown rule \`${id}\`${suggest(id)}`);
    cliLevels[id] = level as LevelSetting;
  }
  if (o.baseline && o['write-baseline']) throw new UsageError('--baseline and --write-baseline cannot be used together');
  const persona = (o.persona as string | undefined) ?? 'regular';
  if (!(PERSONAS as readonly string[]).includes(persona)) throw new UsageError(`--persona takes ${PERSONAS.join(', ')}, not \`${persona}\``);
  const minConfidence = o['min-confidence'] as string | undefined;
  if (minConfidence !== undefined && !(CONFIDENCES as readonly string[]).includes(minConfidence)) throw new UsageError(`--min-confidence takes high, medium or low, not \`${minConfidence}\``);
  return { persona: persona as Persona, ...(minConfidence ? { minConfidence: minConfidence as Confidence } : {}), failOn, maxWarnings, cliLevels };
}

function engineOf(cfg: ResolvedConfig | undefined, cliLevels: Record<string, LevelSetting>): EngineOptions {
  const engine: EngineOptions = { ...(cfg?.engine ?? {}) };
  if (Object.keys(cliLevels).length) {
    // --rule wins over the config file, overrides included
    engine.overrides = [...(engine.overrides ?? []), { matches: () => true, rules: Object.fromEntries(Object.entries(cliLevels).map(([id, level]) => [id, { level }])) }];
  }
  return engine;
}

/** The options of one lint() run under one config. */
async function runOptions(o: Opts, io: Io, cfgPath: string | undefined, cliLevels: Record<string, LevelSetting>, root = io.cwd): Promise<LintOptions> {
  const cfg = await loadResolved(cfgPath, root, io);
  return {
    cwd: root,
    ignore: [...(cfg?.ignore ?? []), ...((o.ignore as string[] | undefined) ?? [])],
    engine: engineOf(cfg, cliLevels),
    ...(cfg?.contextOverride ? { contextOverride: cfg.contextOverride } : {}),
    ...(cfg?.roleOverride ? { roleOverride: cfg.roleOverride } : {}),
    inline: !o['no-inline-config'],
    reportUnusedSuppressions: !!o['report-unused-suppressions'],
    onWarning: (m) => io.stderr(`permlint: ${m}\n`),
    ...(o.baseline ? { baseline: readBaseline(resolve(io.cwd, o.baseline as string), o.baseline as string) } : {}),
    ...(o.cache ? { cache: cacheFile(o['cache-location'] as string | undefined, io.cwd) } : {}),
  };
}

/** `--cache-location`: a file, or a folder (one that exists, or a path ending in `/`) that gets `link-walk.json`; none: the default under the scan root. */
function cacheFile(location: string | undefined, cwd: string): string | true {
  if (location === undefined) return true;
  if (location === '') throw new UsageError('--cache-location takes a file or folder path');
  const abs = resolve(cwd, location);
  let folder = location.endsWith('/') || location.endsWith(sep);
  try {
    folder ||= statSync(abs).isDirectory();
  } catch {
    /* a new file */
  }
  return folder ? join(abs, 'link-walk.json') : abs;
}

/** Paths grouped by the config that governs them (each linted path finds its own, walking up). */
function groupByConfig(paths: string[], o: Opts, io: Io): Map<string | undefined, string[]> {
  const groups = new Map<string | undefined, string[]>();
  for (const p of paths.length ? paths : ['.']) {
    const cfg = configPath(o, io, resolve(io.cwd, p));
    groups.set(cfg, [...(groups.get(cfg) ?? []), p]);
  }
  return groups;
}

function merge(results: LintResult[]): LintResult {
  if (results.length === 1) return results[0]!;
  const roots = new Set(results.map((r) => r.root));
  if (roots.size > 1) throw new UsageError(`these paths are governed by different config files and lie in different folders; lint them in separate runs or pass --config`);
  const seen = new Set<string>();
  const findings = results
    .flatMap((r) => r.findings)
    .filter((f) => {
      const k = `${f.ruleId}\0${f.span.file}\0${f.span.line}\0${f.span.column}\0${f.message}`;
      return seen.has(k) ? false : (seen.add(k), true);
    })
    .sort(byReportOrder);
  const first = results[0]!;
  for (const r of results.slice(1)) first.files.absorb(r.files);
  return {
    ...first,
    findings,
    discovered: results.flatMap((r) => r.discovered),
    skipped: results.flatMap((r) => r.skipped),
    missing: results.flatMap((r) => r.missing),
    staleBaseline: results.flatMap((r) => r.staleBaseline),
  };
}

function colorWanted(o: Opts, io: Io, toFile: boolean): boolean {
  if (o['no-color']) return false;
  if (o.color) return true;
  // as Node itself decides: FORCE_COLOR wins over NO_COLOR; "0" and "false" turn colour off
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  if (io.env.NO_COLOR) return false;
  return io.isTTY && !toFile;
}

async function lint(positionals: string[], o: Opts, io: Io): Promise<number> {
  const formats = parseFormats((o.format as string[] | undefined) ?? [], o.output as string | undefined);
  const { failOn, maxWarnings, cliLevels, persona, minConfidence } = settings(o);
  // what the report shows (the persona and --min-confidence): selectForPersona's options
  const view = { persona, ...(minConfidence ? { minConfidence } : {}) };
  const stdoutFormat = formats.find((f) => !f.file)?.name ?? formats[0]!.name;
  const progress = createProgress(
    progressWanted({ stderrIsTTY: io.stderrIsTTY ?? !!process.stderr.isTTY, format: stdoutFormat, machineFormat: MACHINE_FORMATS.has(stdoutFormat), env: io.env, quiet: !!o.quiet }),
    io.stderr,
  );

  let result: LintResult;
  try {
    if (o.stdin || o['stdin-filename'] !== undefined) {
      if (!o.stdin) throw new UsageError('--stdin-filename goes with --stdin');
      const name = o['stdin-filename'] as string | undefined;
      if (!name) throw new UsageError('--stdin needs --stdin-filename <path>: the file the text stands for (its kind and context come from it)');
      if (positionals.length) throw new UsageError('--stdin lints standard input only; give no paths');
      if (o.fix || o['fix-all'] || o['fix-dry-run']) throw new UsageError('--fix cannot be used with --stdin (there is no file to write)');
      const text = await (io.readStdin ?? readProcessStdin)();
      const { lintText, scanRootFor } = await import('./lsp/lint-text.js');
      const abs = resolve(io.cwd, name);
      const options = await runOptions(o, io, configPath(o, io, abs), cliLevels, scanRootFor(abs));
      result = await lintText(abs, text, { ...options, onProgress: (m) => progress.update(m) });
    } else {
      const paths = await expandGlobs(positionals, io.cwd);
      const runs: LintResult[] = [];
      // what the persona cannot show is not computed (src/lint.ts `selection`), unless a baseline
      // is written from every finding or fixes computed from the model are applied
      const fixing = !!(o.fix || o['fix-all'] || o['fix-dry-run']);
      // (machine formats attach the least-privilege fixes of the findings shown: section G's graphs
      // for them start once the scan is done, while the rules run; not with -q, which shows errors only)
      const selection = o['write-baseline'] || fixing ? {} : { selection: view, fixesLater: !o.quiet && formats.some((f) => MACHINE_FORMATS.has(f.name)) };
      for (const [cfgPath, group] of groupByConfig(paths, o, io)) {
        const options = await runOptions(o, io, cfgPath, cliLevels);
        runs.push(await runLint(group, { ...options, ...selection, onProgress: (m) => progress.update(m) }));
      }
      result = merge(runs);
      await reportUnmatchedIgnores((o.ignore as string[] | undefined) ?? [], result.root, io);
    }
  } catch (e) {
    progress.done();
    if (e instanceof MissingPathError) throw new UsageError(`${e.message}${missingHint(e, positionals[0])}`);
    throw e;
  }
  const { files, root } = result;
  let findings = result.findings;
  const sources = files;
  // machine formats carry each finding's fixes: with no finding there is nothing to compute (nor to load)
  if (o.fix || o['fix-all'] || o['fix-dry-run'] || (findings.length > 0 && formats.some((f) => MACHINE_FORMATS.has(f.name)))) {
    const { applyFixes, attachFixes, computeFixes, inferencesFixesRead, unifiedDiff } = await import('./fix/index.js');
    const all = !!o['fix-all'];
    // section G left out (nothing of over-grant or under-grant shown): the inferences of the
    // findings shown, for their least-privilege fixes (the same fixes as with every inference)
    if (result.inferLater) {
      const selected = selectForPersona(findings, view);
      const wanted = inferencesFixesRead(result.model, o.quiet ? selected.filter((f) => f.level === 'error') : selected);
      await result.inferLater((i) => wanted.has(i.id));
    }
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
      return lint(positionals, { ...o, fix: false, 'fix-all': false }, io);
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
  // the persona chooses what is reported (and counted); --quiet only shortens the report
  findings = selectForPersona(findings, view);
  if (o.verbose) {
    // files not read and not reported as parse-error: links out of the root, sniffed code that could not be read
    const quietSkips = result.skipped.filter((s) => !s.reason.startsWith('larger') && !s.reason.startsWith('cannot read'));
    if (quietSkips.length) io.stderr(`permlint: ${quietSkips.length} file${quietSkips.length === 1 ? '' : 's'} skipped:\n${quietSkips.map((s) => `  ${s.path}  ${s.reason}\n`).join('')}`);
  }
  const code = exitCode(findings, failOn, maxWarnings);
  const shown = o.quiet ? findings.filter((f) => f.level === 'error') : findings;
  progress.done();

  const repo = repositoryRoot(root);
  const prefix = repo && repo !== root ? relative(repo, root).split(sep).join('/') : '';
  const base: Omit<ReportInput, 'color'> = {
    findings: shown,
    rules: [...RULES.map((r) => r.meta), ...SUPPRESSION_RULES],
    fileCount: result.discovered.length,
    toolVersion: VERSION,
    root,
    ...(prefix && !prefix.startsWith('..') ? { uriPrefix: `${prefix}/` } : {}),
    sources,
    skipped: result.skipped.filter((s) => !s.reason.startsWith('larger') && !s.reason.startsWith('cannot read')),
  };
  for (const f of formats) {
    // formats read by programs never carry colour, whatever FORCE_COLOR says
    const report = (await loadReporter(f.name))({ ...base, color: !MACHINE_FORMATS.has(f.name) && colorWanted(o, io, !!f.file) });
    if (!f.file) {
      io.stdout(report);
      continue;
    }
    const out = resolve(io.cwd, f.file);
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, report);
    } catch (e) {
      throw new UsageError(`cannot write ${f.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  // texts are read again for fingerprints and fixes (src/file-texts.ts): a file edited meanwhile gives none
  if (files.changed.size) {
    const list = [...files.changed].sort();
    io.stderr(`permlint: ${list.length} file${list.length === 1 ? '' : 's'} changed while permlint ran (${list.slice(0, 5).join(', ')}${list.length > 5 ? ', …' : ''}); no fixes, fingerprints from the message only: run again\n`);
  }
  return code;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const TREE_LIMIT = 200_000;

/**
 * Visits the entries under `root`/`start` folder by folder (paths relative to root, folders with a
 * trailing `/`), without following links and without node_modules and .git, until `visit` says
 * stop (returns false) or TREE_LIMIT entries were listed (a folder's entries are visited whole).
 */
function walkTree(root: string, start: string, visit: (folderEntries: string[]) => boolean): void {
  const stack = [start];
  let listed = 0;
  while (stack.length && listed < TREE_LIMIT) {
    const rel = stack.pop()!;
    let entries;
    try {
      entries = nodeFs.readdir(join(root, rel));
    } catch {
      continue;
    }
    const out: string[] = [];
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.type === 'directory') {
        out.push(`${p}/`);
        stack.push(p);
      } else out.push(p);
    }
    listed += out.length;
    if (!visit(out)) return;
  }
}

/** Paths under `root`/`start` (see walkTree): at most TREE_LIMIT entries, and the rest of the folder that reaches it. */
function listTree(root: string, start: string): string[] {
  const out: string[] = [];
  walkTree(root, start, (entries) => {
    for (const e of entries) out.push(e);
    return true;
  });
  return out;
}

/**
 * `--ignore` globs that match no file or folder under the root: probably a typo, said on stderr.
 * The tree is listed only until every glob has matched an entry (a glob that gitignore covers
 * already, such as `target/**`, would otherwise list all that the scan never walks: a pre-commit
 * run on 5 files of denoland/deno with `--ignore 'tests/**'` took 0.38 s against 0.22–0.28 s).
 */
async function reportUnmatchedIgnores(globs: string[], root: string, io: Io): Promise<void> {
  if (!globs.length) return;
  const { IgnoreSet } = await import('./glob.js');
  let pending = globs.map((g) => ({ g, ig: new IgnoreSet().addGlobs([g]) }));
  const matches = (ig: InstanceType<typeof IgnoreSet>, e: string) => (e.endsWith('/') ? ig.ignoresEntry(e.slice(0, -1), true) : ig.ignoresEntry(e, false));
  walkTree(root, '', (entries) => {
    pending = pending.filter(({ ig }) => !entries.some((e) => matches(ig, e)));
    return pending.length > 0;
  });
  for (const { g } of pending) io.stderr(`permlint: --ignore \`${g}\` matches no file or folder under ${relative(io.cwd, root) || '.'}\n`);
}

/** --print-config <file>: the settings that apply to that file, as JSON. */
async function printConfig(file: string, o: Opts, io: Io): Promise<number> {
  const { cliLevels } = settings(o);
  const abs = resolve(io.cwd, file);
  if (!existsSync(abs)) throw new UsageError(`no such file: ${file}`);
  const cfgPath = configPath(o, io, abs);
  // the context comes from the scan (a Dockerfile that runs a task makes it deployment), so scan the repository around it
  const { lintText, scanRootFor } = await import('./lsp/lint-text.js');
  const options = await runOptions(o, io, cfgPath, cliLevels, scanRootFor(abs));
  const result = await lintText(abs, readFileSync(abs, 'utf8'), { ...options, rules: [] });
  const rel = relative(result.root, abs).split(sep).join('/');
  const contexts = new Set<ContextKind>();
  for (const x of [...result.model.invocations, ...result.model.declarations]) if (x.origin.file === rel) contexts.add(x.context.kind);
  const override = options.contextOverride?.(rel);
  if (override) contexts.add(override);
  const engine = options.engine ?? {};
  const all = [...RULES.map((r) => r.meta), ...SUPPRESSION_RULES];
  const levelsFor = (ctx: ContextKind | undefined) => Object.fromEntries(all.map((r) => [r.id, resolveLevel(r, r.level, rel, ctx, engine)]));
  const ctxList = [...contexts].sort();
  const { roleOf } = await import('./roles.js');
  const role = roleOf(result.model, rel, options.roleOverride ? { configured: options.roleOverride } : {});
  const doc = {
    file: rel,
    config: cfgPath ? relative(io.cwd, cfgPath) || cfgPath : null,
    kind: result.discovered.find((d) => d.path === rel)?.kind ?? null,
    ignored: !result.discovered.some((d) => d.path === rel),
    contexts: ctxList,
    ...(override ? { contextFromConfig: override } : {}),
    role: role.role,
    roleReason: role.reason,
    rules: ctxList.length <= 1 ? levelsFor(ctxList[0]) : Object.fromEntries(ctxList.map((c) => [c, levelsFor(c)])),
  };
  io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  return 0;
}

export function exitCode(findings: Finding[], failOn: string, maxWarnings?: number): number {
  if (maxWarnings !== undefined && maxWarnings >= 0 && findings.filter((f) => f.level === 'warning').length > maxWarnings) return 1;
  if (failOn === 'never') return 0;
  const min = LEVELS.indexOf(failOn as Level);
  return findings.some((f) => LEVELS.indexOf(f.level) >= min) ? 1 : 0;
}
