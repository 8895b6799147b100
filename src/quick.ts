/**
 * The answers that need nothing but text: `permlint --version`, `--help`, `<command> --help` and
 * `explain <rule-id>`. bin/permlint.js asks here before it loads the CLI (src/cli.ts), so those
 * runs load this module, the package's file helpers and the format names, and nothing else
 * (test/report/lazy-startup.test.ts traces it). `main()` gives the same answers for the same argv.
 */
import { existsSync, readFileSync } from 'node:fs';
import { packageFile, packageVersion } from './package-info.js';
import { FORMATS } from './report/formats.js';

export const VERSION = packageVersion();

export const HELP = `permlint ${VERSION} — static linter for Deno and Node.js permission configurations

Usage:
  permlint [paths…] [options]        lint files and folders (default: .); quoted globs are expanded
  permlint audit [paths…]            every invocation and declaration with its effective permissions
  permlint diff <git-ref> [paths…]   permissions widened or narrowed since <git-ref>
  permlint infer <entrypoint|task>   least-privilege flags from the code an entrypoint reaches
  permlint explain <rule-id>         show a rule's documentation
  permlint rules                     list every rule
  permlint init                      write a starter permlint.config.json
  permlint lsp                       run the language server (stdio) for editors
  permlint <command> --help          the options of a command

Options:
  -f, --format <name>[=<file>]    ${FORMATS.join(', ')} (default: stylish);
                                  repeatable: one scan, several reports (name=file writes a file)
  -o, --output <file>             write the report to a file instead of stdout
  -c, --config <file>             use this config file (JSON or YAML); default: the nearest
                                  permlint.config.json / .permlintrc.* above each linted path
  --no-config                     ignore config files
  --print-config <file>           print the effective settings for a file (levels, context, code role) as JSON
  --fail-on <level>               error | warning | note | never (default: error)
  --max-warnings <n>              also fail when there are more than n warnings (-1: no limit)
  --rule <id>=<level>             set a rule's level (error, warning, note, off); repeatable
  --ignore <glob>                 skip matching files; repeatable (a glob that matches nothing is reported)
  --baseline <file>               hide the findings recorded in this baseline; report stale entries
  --write-baseline <file>         record the current findings as the baseline
  --no-inline-config              ignore permlint-ignore comments and annotations
  --report-unused-suppressions    report permlint-ignore directives that hide nothing
  --cache                         a run on a few files (pre-commit) keeps the folder listings of
                                  its walk for the next run (node_modules/.cache/permlint/)
  --cache-location <path>         where --cache keeps them (a file, or a folder)
  --fix                           apply safe fixes (mechanical mistakes) and report what is left
  --fix=all                       also rewrite grants to the least privilege inferred from the code
  --fix-dry-run                   print the fixes as a diff, write nothing (with --fix=all: every fix)
  --stdin                         lint the text on standard input …
  --stdin-filename <path>         … as if it were this file of the repository (required with --stdin)
  -q, --quiet                     report errors only (the exit code still counts everything)
  --persona <name>                regular (default): what a maintainer should act on;
                                  pedantic: also notes, low confidence and test code;
                                  auditor: everything (the exit code counts what is shown)
  --min-confidence <level>        hide findings below high | medium | low
                                  (default: medium for regular, low otherwise)
  --verbose                       list the files skipped (links out of the root, TypeScript or
                                  JavaScript that could not be read) on stderr
  --color / --no-color            force colours on or off (FORCE_COLOR and NO_COLOR are honoured)
  -v, --version                   print the version
  -h, --help                      print this help

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it (or more warnings
than --max-warnings), 2 usage, configuration or internal error. With --format json or sarif,
an error is also written to stdout in that format.
`;

export const COMMAND_HELP: Record<string, string> = {
  explain: `Usage: permlint explain <rule-id>

Prints the rule's documentation page (what it catches, why, examples, how to fix, how to
suppress). \`permlint rules\` lists the rule ids.

Options:
  -h, --help      print this help
`,
  rules: `Usage: permlint rules [--format text|json]

Lists every rule with its default level and description.

Options:
  -f, --format <name>   text (default) or json: { version, rules: [{ id, level, category,
                        securitySeverity, description, docs }] }
  -h, --help            print this help
`,
  init: `Usage: permlint init [--force]

Writes a starter permlint.config.json in the current folder, with a "$schema" that editors
resolve: the schema of the local install (node_modules/permlint) when there is one, else the
schema of the permlint that runs (a global or npx install).

Options:
  --force         overwrite an existing config file
  -h, --help      print this help
`,
  lsp: `Usage: permlint lsp [--stdio]

Runs permlint as a Language Server over standard input and output: diagnostics for open
documents, on open and on every change, with the repository's config and context.
See docs/editors.md for VS Code, Neovim, Helix and Zed.

Options:
  --stdio         talk over stdin/stdout (the default and only transport)
  -h, --help      print this help
`,
};

/**
 * The output of a run that only prints text, or undefined when argv asks for anything else (then
 * the CLI parses it: combined options, unknown ids, usage errors). Only exact shapes are answered:
 * `--version` / `-v`, `--help` / `-h`, `<command> --help`, `explain <rule-id>` with a docs page.
 */
export function quickAnswer(argv: readonly string[]): string | undefined {
  const [a, b] = argv;
  if (argv.length === 1 && (a === '--version' || a === '-v')) return `${VERSION}\n`;
  if (argv.length === 1 && (a === '--help' || a === '-h')) return HELP;
  if (argv.length !== 2 || a === undefined || b === undefined) return undefined;
  if ((b === '--help' || b === '-h') && Object.hasOwn(COMMAND_HELP, a)) return COMMAND_HELP[a];
  // a rule's documentation is a file of its own: no rule needs loading to show it
  if (a === 'explain' && /^[a-z0-9-]+$/.test(b)) {
    const doc = packageFile(`docs/rules/${b}.md`);
    if (existsSync(doc)) return readFileSync(doc, 'utf8');
  }
  return undefined;
}
