/**
 * `permlint audit [paths…]` and `permlint diff <git-ref> [paths…]`.
 *
 * Exit codes: audit 0 (2 on a usage error or a path that does not exist); diff 1 when anything
 * widened (or an added invocation grants anything), 0 otherwise, 2 on a bad ref, outside a git
 * repository, or a usage error.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { kindByName } from '../discover.js';
import { MissingPathError, lint, type LintOptions } from '../lint.js';
import { ConfigError, findConfig, loadConfig, resolveConfig } from '../config.js';
import { RULES } from '../../rules/index.js';
import { SUPPRESSION_RULES } from '../suppress.js';
import { buildInventory, type AuditEntry } from './inventory.js';
import { contentRenames, diffExitCode, diffInventories } from './diff.js';
import { AUDIT_FORMATS, formatAudit, formatDiff, type AuditFormat } from './format.js';
import { GitError, materializeTree, resolveTree } from './git.js';
import type { FileSystem } from '../fs.js';

export interface AuditIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

class AuditUsageError extends Error {}

const HELP = {
  audit: `Usage: permlint audit [paths…] [--format stylish|json|markdown] [--output <file>] [--ignore <glob>]

Lists every Deno and Node invocation and permission declaration with its effective permissions.
`,
  diff: `Usage: permlint diff <git-ref> [paths…] [--format stylish|json|markdown] [--output <file>] [--ignore <glob>]

Compares the permissions at <git-ref> (read from git objects) with the working tree.
Exit codes: 1 something widened, 0 nothing widened, 2 bad ref or usage error.
`,
};

/** Entry point from src/cli.ts; `argv` is the whole command line after `permlint`. */
export async function runAuditCommand(command: 'audit' | 'diff', argv: string[], io: AuditIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        ignore: { type: 'string', multiple: true },
        config: { type: 'string', short: 'c' },
        'no-config': { type: 'boolean' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(HELP[command]);
      return 0;
    }
    const rest = positionals.slice(positionals.indexOf(command) + 1);
    const format = (values.format ?? 'stylish') as AuditFormat;
    if (!AUDIT_FORMATS.includes(format)) throw new AuditUsageError(`unknown format \`${values.format}\` for \`permlint ${command}\`; use one of ${AUDIT_FORMATS.join(', ')}`);
    const color = values['no-color'] ? false : values.color ? true : io.isTTY && !io.env.NO_COLOR && !values.output;
    if (values.config && values['no-config']) throw new AuditUsageError('--config and --no-config cannot be used together');
    const given = values.config ? resolve(io.cwd, values.config) : undefined;
    if (given && !existsSync(given)) throw new AuditUsageError(`no such config file: ${values.config}`);
    const settings: Settings = { ignore: values.ignore ?? [], config: values['no-config'] ? false : given };
    let text: string;
    let code: number;
    if (command === 'audit') {
      const { entries } = await inventoryOf(rest, settings, io.cwd, io.cwd, true);
      text = formatAudit(entries, format, color);
      code = 0;
    } else {
      const [ref, ...paths] = rest;
      if (!ref) throw new AuditUsageError('`permlint diff` needs a git ref to compare with (e.g. `permlint diff origin/main`)');
      const d = await diff(ref, paths, settings, io.cwd);
      text = formatDiff(d, format, color);
      code = diffExitCode(d);
    }
    if (values.output) writeFileSync(values.output, text);
    else io.stdout(text);
    return code;
  } catch (e) {
    if (e instanceof AuditUsageError || e instanceof GitError || e instanceof ConfigError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`permlint ${command}: ${(e as Error).message}\n`);
      return 2;
    }
    io.stderr(`permlint ${command}: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

interface Settings {
  /** --ignore globs. */
  ignore: string[];
  /** --config file (absolute), false for --no-config, undefined to look for one at the root. */
  config: string | false | undefined;
}

/** The config's ignore globs and contexts, as `permlint` (lint) applies them. */
async function configOf(settings: Settings, root: string, fs?: FileSystem): Promise<{ ignore: string[]; scan: Pick<LintOptions, 'contextOverride'> }> {
  if (settings.config === false) return { ignore: settings.ignore, scan: {} };
  const found = settings.config ? undefined : findConfig(root, fs);
  const path = settings.config ?? found;
  if (!path) return { ignore: settings.ignore, scan: {} };
  const known = [...RULES.map((r) => r.meta.id), ...SUPPRESSION_RULES.map((r) => r.id)];
  // a --config file is on disk; a found one is in the tree read (the ref's, for diff)
  const cfg = resolveConfig((await loadConfig(path, known, found && fs ? { fs } : {})).config);
  return { ignore: [...cfg.ignore, ...settings.ignore], scan: cfg.contextOverride ? { contextOverride: cfg.contextOverride } : {} };
}

/**
 * Inventory of `paths` under `root`. The config is looked up in `configRoot` (for a ref's copy:
 * the copy itself, so that the base branch's ignore globs apply, not the change's).
 */
async function inventoryOf(
  paths: string[],
  settings: Settings,
  root: string,
  configRoot: string,
  strictPaths: boolean,
  trees: { fs?: FileSystem; configFs?: FileSystem } = {},
): Promise<{ entries: AuditEntry[]; texts: Map<string, string>; missing: string[] }> {
  const cfg = await configOf(settings, configRoot, trees.configFs);
  try {
    // no rules: the inventory needs the linked model only
    const r = await lint(trees.fs ? { fs: trees.fs, paths } : paths, { cwd: root, ignore: cfg.ignore, rules: [], keepTexts: true, allowMissing: !strictPaths, ...cfg.scan });
    // link-only files (a run on a few paths) decide contexts but are not listed
    return { entries: buildInventory(r.model).filter((e) => !r.linkOnly.has(e.file)), texts: r.files.keptTexts(), missing: r.missing };
  } catch (e) {
    if (e instanceof MissingPathError) throw new AuditUsageError(e.message);
    throw e;
  }
}

async function diff(ref: string, paths: string[], settings: Settings, cwd: string) {
  // paths are scanned relative to cwd on both sides; one outside cwd has no counterpart in the ref's copy
  const rel = paths.map((p) => {
    const r = relative(cwd, resolve(cwd, p));
    if (isAbsolute(r) || r === '..' || r.startsWith(`..${sep}`)) throw new AuditUsageError(`\`${p}\` is outside the current folder; run \`permlint diff\` from a folder that contains it`);
    return r === '' ? '.' : r.split(sep).join('/');
  });
  const tree = resolveTree(ref, cwd);
  // the ref's files in memory (plumbing only: nothing of the repository's config runs, nothing is written)
  const refTree = materializeTree(tree, cwd);
  try {
    // both sides use the ref's config (its ignore globs), unless --config names one: a change
    // must not be able to hide what it widens by adding an ignore glob
    const atRef = { fs: refTree.fs, configFs: refTree.fs };
    const before = await inventoryOf(rel, settings, refTree.dir, refTree.dir, false, atRef).catch((e: unknown) => {
      if (e instanceof ConfigError) throw new ConfigError(e.message.split(` ${refTree.dir}`).join(` ${ref}:`));
      throw e;
    });
    const after = await inventoryOf(rel, settings, cwd, refTree.dir, false, { configFs: refTree.fs });
    // a path may exist on one side only (added or deleted since the ref), not on neither
    const nowhere = after.missing.filter((p) => before.missing.includes(p) && !refTree.paths.has(p) && ![...refTree.paths].some((x) => x.startsWith(`${p}/`)));
    if (nowhere.length) throw new AuditUsageError(`no such file or directory (in the working tree or at \`${ref}\`): ${nowhere.join(', ')}`);
    // renames are paired by content (git's own detection runs `git diff`, which applies the repository's filters)
    const renames = new Map<string, string>();
    const kindOf = (p: string) => kindByName(p) ?? 'other';
    const gone = [...before.texts.keys()].filter((p) => !existsSync(resolve(cwd, p)));
    const fresh = [...after.texts.keys()].filter((p) => !refTree.paths.has(p));
    for (const [from, to] of contentRenames(before.texts, after.texts, gone, fresh, kindOf, renames)) renames.set(from, to);
    return diffInventories(ref, before.entries, after.entries, renames);
  } finally {
    refTree.dispose();
  }
}
