/**
 * The CLI's options and what argv asks for, without the CLI: src/cli.ts parses argv with them,
 * and src/cli-loader.ts asks, before it loads the CLI, whether argv is a lint run on named paths
 * (then the parser thread may start before the CLI is compiled). Node's built-ins only.
 */
import { parseArgs } from 'node:util';

export const COMMANDS = ['audit', 'diff', 'infer', 'explain', 'rules', 'init', 'lsp'];

export const OPTIONS = {
  format: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  'max-warnings': { type: 'string' },
  rule: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  'no-config': { type: 'boolean' },
  'print-config': { type: 'string' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  'no-inline-config': { type: 'boolean' },
  'report-unused-suppressions': { type: 'boolean' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  stdin: { type: 'boolean' },
  'stdin-filename': { type: 'string' },
  stdio: { type: 'boolean' },
  force: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  persona: { type: 'string' },
  'min-confidence': { type: 'string' },
  verbose: { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  fix: { type: 'boolean' },
  'fix-all': { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
} as const;

export type Opts = Record<string, string | boolean | string[] | undefined>;

/** `--max-warnings -1`: node's parser takes a value that starts with `-` only after `=`. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--max-warnings' && /^-\d+$/.test(argv[i + 1] ?? '')) out.push(`${a}=${argv[++i]}`);
    else out.push(a);
  }
  return out;
}

/** argv as the CLI reads it (`--fix=all` / `--fix=safe`, zizmor's spelling, on top of the boolean --fix); throws a usage error. */
export function parseCliArgs(argv: readonly string[]) {
  const spelled = argv.map((a) => (a === '--fix=all' ? '--fix-all' : a === '--fix=safe' ? '--fix' : a));
  return parseArgs({ args: joinNegativeValues(spelled), allowPositionals: true, strict: true, options: OPTIONS });
}

/** Whether parsed argv is a lint run (not a command, --print-config, --stdin, --help or --version), on named paths or on the working folder. */
function lintRun(args: ReturnType<typeof parseCliArgs>): boolean {
  const first = args.positionals[0];
  return !(first && COMMANDS.includes(first)) && args.values['print-config'] === undefined && !args.values.stdin && !args.values.help && !args.values.version;
}

/** Whether parsed argv is a lint run on named paths (not a command, --print-config or --stdin). */
export function lintsNamedPaths(args: ReturnType<typeof parseCliArgs>): boolean {
  return args.positionals.length > 0 && lintRun(args);
}

/**
 * The paths a lint run lints (the named ones, or `.` when none is named: the CLI lints the working
 * folder), or undefined when argv asks for anything else or does not parse.
 */
export function lintRunPaths(argv: readonly string[]): string[] | undefined {
  if (argv[0] === 'audit' || argv[0] === 'diff' || argv[0] === 'infer') return undefined;
  try {
    const args = parseCliArgs(argv);
    if (!lintRun(args)) return undefined;
    return args.positionals.length ? args.positionals : ['.'];
  } catch {
    return undefined;
  }
}
