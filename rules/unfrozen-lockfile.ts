import type { Rule, RuleFinding } from '../src/rule-api.js';
import type { Declaration, DenoConfigFacts, FindingCause, Invocation, Model } from '../src/model.js';
import { denoConfigOf } from '../src/link/configs.js';

/** The frozen install of each package manager. */
const FIX: Record<'npm' | 'yarn' | 'pnpm', string> = {
  npm: '`npm ci`',
  yarn: '`yarn install --immutable` (or `--frozen-lockfile` on Yarn 1)',
  pnpm: '`pnpm install --frozen-lockfile`',
};

function basename(word: string): string {
  return word.slice(word.replace(/\\/g, '/').lastIndexOf('/') + 1);
}
import { describe } from '../src/rule-util.js';

/** Where a missing `--frozen` is reported: what deployment runs, what an image build runs, what CI runs. */
const LOCK_CONTEXTS: ReadonlySet<string> = new Set(['deployment', 'build', 'ci']);

/**
 * Deno subcommands that resolve modules (and so read or write the lockfile). `check` fetches what
 * it type-checks (Deno 2.9.6 `deno check d.ts` downloads `jsr:` imports) and takes `--frozen`.
 */
const RESOLVING = new Set(['run', 'serve', 'test', 'bench', 'compile', 'install', 'cache', 'check', 'x']);

/** First words that make `deno` print something and exit without resolving a module. */
const INFO_WORDS = new Set(['--version', '-V', 'help', '--help', '-h', 'upgrade', 'completions']);

/** The deno.json whose `lock` applies: the workspace root of the config the link phase found for the run. */
function lockConfig(model: Model, s: Invocation | Declaration): DenoConfigFacts | undefined {
  return denoConfigOf(model, s.context).lockRoot;
}

function frozenFlag(inv: Invocation): { value: boolean; text: string; span: Invocation['command']['span'] } | undefined {
  const f = [...inv.flags].reverse().find((x) => x.name === '--frozen' || x.name === '--frozen-lockfile');
  if (!f) return undefined;
  return { value: f.value === undefined || f.value === 'true', text: f.text, span: f.span };
}

/** One cause for every unfrozen run under a workspace root: the root does not freeze the lockfile (reported once, there). */
function rootCause(cfg: DenoConfigFacts): FindingCause {
  return {
    key: `unfrozen-root:${cfg.file}`,
    span: cfg.lock?.span ?? { file: cfg.file, line: 1, column: 1, endLine: 1, endColumn: 2 },
    message: `${cfg.file} does not freeze the lockfile, so the Deno runs below it that deployment, an image build or CI start without \`--frozen\` fetch and run a changed dependency silently; add \`"lock": { "frozen": true }\` here (or \`--frozen\` to each run)`,
  };
}

/** Runs under no deno.json at all: no lockfile is read or written, whatever the run (reported once, at the first). */
function noConfigCause(inv: Invocation): FindingCause {
  return {
    key: 'unfrozen-no-config',
    span: inv.command.span,
    message: 'no deno.json holds a lockfile for these Deno runs that deployment, an image build or CI start, so every dependency they import is fetched and run unchecked; add a deno.json with `"lock": { "frozen": true }` (and commit deno.lock), or pass `--lock=deno.lock --frozen` to each run',
  };
}

export const unfrozenLockfile: Rule = {
  meta: { id: 'unfrozen-lockfile', level: 'warning', severity: 6.0, category: 'other', confidence: 'medium', description: 'Dependencies resolved without a frozen lockfile (--no-lock, --frozen=false, "lock": false; deployment and CI runs without --frozen)' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      if (inv.runtime !== 'deno') continue;
      const noLock = inv.flags.find((f) => f.name === '--no-lock');
      const frozen = frozenFlag(inv);
      if (noLock) {
        out.push({ span: noLock.span, subject: inv, level: 'error', confidence: 'high', message: `\`--no-lock\` turns off the lockfile for ${describe(inv)}: whatever the registries serve today runs; remove it and commit deno.lock` });
        continue;
      }
      if (frozen && !frozen.value) {
        out.push({ span: frozen.span, subject: inv, level: 'error', confidence: 'high', message: `\`${frozen.text}\` lets ${describe(inv)} rewrite deno.lock with whatever the registries serve; use \`--frozen\`` });
        continue;
      }
      const ctx = inv.context.kind;
      if (!LOCK_CONTEXTS.has(ctx) || !RESOLVING.has(inv.subcommand ?? '') || frozen?.value) continue;
      // `deno --version`, `deno -V`, `deno help`, `deno --help`: nothing is resolved (the grammar reads them as `run`)
      if (inv.argv.length && INFO_WORDS.has(inv.argv[0]!.value)) continue;
      if ((inv.subcommand === 'run' || inv.subcommand === 'serve') && !inv.entrypoint) continue;
      // `--cached-only` fetches nothing (Deno 2.9.6: "Specifier not found in cache: …, --cached-only is
      // specified"): what runs is what an earlier step cached, and that step is where it is judged
      if (inv.flags.some((f) => f.name === '--cached-only')) continue;
      // a global install (`-g`, or any `deno install` under Deno 1.x) keeps its own lockfile, never the project's
      if (inv.subcommand === 'install' && inv.installsGlobally) continue;
      if (inv.subcommand === 'install') {
        out.push({ span: inv.command.span, subject: inv, message: `${describe(inv)} in a ${ctx} context can rewrite deno.lock; use \`deno install --frozen\` (or \`deno ci\`)` });
        continue;
      }
      const cfg = lockConfig(model, inv);
      if (cfg?.lock?.frozen === true) continue;
      if (cfg?.lock?.value === 'false') continue; // one finding per cause: the `"lock": false` finding
      out.push({
        span: inv.command.span,
        subject: inv,
        cause: cfg ? rootCause(cfg) : noConfigCause(inv),
        message: `${describe(inv)} runs in a ${ctx} context without a frozen lockfile, so a changed dependency is fetched and run silently; add \`--frozen\` (or \`"lock": { "frozen": true }\` in the workspace-root deno.json)`,
      });
    }
    // NetScript's deno adapter runs `deno run <flags> <entrypoint>` with no --frozen (facts §4)
    for (const d of model.declarations) {
      const ns = d.netscript;
      if (d.declaration !== 'netscript-task' || !ns || (ns.runtime ?? 'deno') !== 'deno' || ns.inProcess) continue;
      const root = lockConfig(model, d);
      if (root?.lock?.frozen === true) continue;
      out.push({
        span: d.span,
        subject: d,
        ...(root ? { cause: rootCause(root) } : {}),
        message: `NetScript runs task \`${d.name}\` as \`deno run\` without \`--frozen\`, so a changed dependency is fetched and run silently; add \`"lock": { "frozen": true }\` to the workspace-root deno.json`,
      });
    }
    for (const c of model.denoConfigs) {
      if (c.lock?.value !== 'false') continue;
      out.push({ span: c.lock.span, level: 'error', confidence: 'high', context: 'development', message: '`"lock": false` turns off the lockfile: whatever the registries serve today runs; remove it and commit deno.lock' });
    }
    // Node package installs that can rewrite the lockfile in deployment and CI contexts (facts of the package-manager grammar)
    for (const cmd of model.commands) {
      const ctx = cmd.context.kind;
      const pm = cmd.packageManager;
      if (!LOCK_CONTEXTS.has(ctx) || !pm || pm.manager === 'deno') continue;
      // an install that adds named packages changes the lockfile on purpose; a global one has no project lockfile
      if (pm.action !== 'install' || pm.global || pm.packages.length > 0 || pm.frozen?.value) continue;
      if (pm.frozenInCI && ctx === 'ci') continue; // pnpm freezes by itself where CI is set (a pipeline, not an image build step)
      const fix = FIX[pm.manager];
      const prog = basename(cmd.program.value);
      const words = cmd.args.map((a) => a.value);
      const by = cmd.context.calledBy ?? [];
      const runBy = by.length ? ` (run by ${[...new Set(by.map((o) => `${o.file}:${o.span.line}`))].join(', ')})` : '';
      out.push({
        span: cmd.program.span,
        context: ctx,
        related: by.map((o) => ({ span: o.span, message: `runs this in a ${ctx} context` })),
        message: `\`${[prog, ...words].join(' ')}\`${runBy} in a ${ctx} context can rewrite the lockfile and install versions nobody reviewed; use ${fix}`,
      });
    }
    return out;
  },
};
