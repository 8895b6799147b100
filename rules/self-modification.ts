import type { DenoConfigFacts, Invocation, Model } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { denoConfigOf } from '../src/link/configs.js';
import { describe, fullyDenied, ownGrants, subjects, type Subject } from '../src/rule-util.js';
import {
  baseFor,
  grantExample,
  isSpecifier,
  isTrustedPath,
  knownEnv,
  reachesPlace,
  repoPath,
  resolvePath,
  subjectBase,
  trustedPaths,
  under,
  type PathBase,
  type ResolvedPath,
} from '../src/semantics/paths.js';

interface Target {
  path: ResolvedPath;
  /** How the message names it: `main.ts (its entrypoint)`. */
  label: string;
}

/** Deno subcommands whose entrypoint is a program file it runs from this folder. */
const ENTRY_SUBCOMMANDS = new Set(['run', 'serve', 'x', 'watch']);
/**
 * Subcommands that bake the grants into a binary or a global shim: the program later runs from
 * a folder nobody knows here, not from its source tree, so relative write paths say nothing
 * about its own code.
 */
const BAKED = new Set(['compile', 'install', 'desktop']);

/** The deno.json the link phase found for the subject, and the folder of the workspace root that owns its lockfile. */
function configFor(model: Model, s: Subject): { config?: DenoConfigFacts; lockDir?: string } {
  const { config, lockRoot } = denoConfigOf(model, s.context);
  if (!config) return {};
  // a custom lock path is written as JSON text; only the default file name is certain
  const root = lockRoot ?? config;
  return root.lock?.value === 'path' || root.lock?.value === 'false' ? { config } : { config, lockDir: root.dir };
}

function entrypointTarget(inv: Invocation): Target | undefined {
  const ep = inv.entrypoint;
  if (!ep || ep.dynamic || isSpecifier(ep.value) || ep.value === '-') return undefined;
  if (inv.runtime === 'deno' && !ENTRY_SUBCOMMANDS.has(inv.subcommand ?? 'run')) return undefined;
  const p = resolvePath(ep.value, subjectBase(inv), { env: undefined });
  return p ? { path: p, label: `\`${ep.value}\` (its entrypoint)` } : undefined;
}

/** Everything a write must not reach for this subject: its code and what decides its permissions. */
function targetsFor(model: Model, s: Subject, base: PathBase): Target[] {
  const out: Target[] = [];
  const add = (path: ResolvedPath | undefined, label: string) => {
    if (path) out.push({ path, label });
  };
  if (s.type === 'invocation') {
    const ep = entrypointTarget(s);
    if (ep) out.push(ep);
  } else {
    // the programs that load this permission set
    for (const inv of model.invocations) {
      if (inv.permissionSet?.declarationId !== s.id) continue;
      const ep = entrypointTarget(inv);
      if (ep) out.push({ path: ep.path, label: `${ep.label.replace(' (its entrypoint)', '')} (the entrypoint of ${describe(inv)}, which loads this set)` });
    }
  }
  const origin = s.origin;
  const declares =
    origin.source === 'deno.json' || origin.source === 'package.json'
      ? `the ${origin.source} that declares ${s.type === 'invocation' ? 'it' : 'these permissions'}`
      : origin.source === 'dockerfile'
        ? 'the Dockerfile that runs it'
        : origin.source === 'github-actions'
          ? 'the workflow that runs it'
          : 'the file that runs it';
  add(repoPath(origin.file), `\`${origin.file}\` (${declares})`);
  for (const c of s.context.calledBy ?? []) {
    if (c.file !== origin.file) add(repoPath(c.file), `\`${c.file}\` (which runs it)`);
  }
  if (base.root === 'repo') {
    const { config, lockDir } = configFor(model, s);
    if (config && config.file !== origin.file && s.runtime === 'deno') add(repoPath(config.file), `\`${config.file}\` (its Deno configuration: permission sets and imports)`);
    if (lockDir !== undefined && s.runtime === 'deno') {
      const lock = under({ root: 'repo', segments: lockDir ? lockDir.split('/') : [] }, 'deno.lock');
      add(lock, `\`${lockDir ? `${lockDir}/` : ''}deno.lock\``);
    }
    add(repoPath('.git/hooks'), '`.git/hooks` (code git runs on the next commit)');
  }
  add(under(base, 'node_modules'), '`node_modules`');
  if (s.runtime === 'deno') {
    const denoDir = knownEnv(s).get('DENO_DIR');
    const dd = denoDir ? resolvePath(denoDir, base) : undefined;
    if (dd) add(dd, `DENO_DIR \`${denoDir}\` (the module cache)`);
    else {
      add(resolvePath('~/.cache/deno', baseFor('')), '`~/.cache/deno` (DENO_DIR, the module cache)');
      add(resolvePath('~/Library/Caches/deno', baseFor('')), '`~/Library/Caches/deno` (DENO_DIR, the module cache)');
    }
  }
  return out;
}

export const selfModification: Rule = {
  meta: {
    id: 'self-modification',
    level: 'error',
    severity: 8.0,
    category: 'grant', confidence: 'medium',
    description: 'Write access that reaches the program itself or what decides its permissions (entrypoint, deno.json, deno.lock, node_modules, DENO_DIR, .git/hooks)',
  },
  check({ model, trusted }) {
    const out: RuleFinding[] = [];
    const trustedP = trustedPaths(trusted.paths);
    for (const s of subjects(model)) {
      if (s.type === 'invocation' && s.runtime === 'deno' && BAKED.has(s.subcommand ?? '')) continue;
      const grants = ownGrants(s).filter((g) => g.kind === 'write' && g.mode === 'allow' && g.scope !== 'all');
      if (grants.length === 0 || fullyDenied(s, 'write')) continue;
      const base = subjectBase(s);
      const env = knownEnv(s);
      const targets = targetsFor(model, s, base).filter((t) => !isTrustedPath(t.path, trustedP));
      const denies = s.permissions
        .filter((g) => g.kind === 'write' && g.mode === 'deny' && g.scope !== 'all')
        .flatMap((g) => (g.scope as { value: string }[]).flatMap((v) => resolvePath(v.value, base, { runtime: s.runtime, env }) ?? []));
      for (const g of grants) {
        for (const v of g.scope as { value: string; span: RuleFinding['span'] }[]) {
          const p = resolvePath(v.value, base, { runtime: s.runtime, env });
          if (!p || isTrustedPath(p, trustedP)) continue;
          const hit = targets.filter((t) => reachesPlace(s.runtime, p, { path: t.path, secret: false }, { deny: denies }));
          const labels = [...new Set(hit.map((t) => t.label))];
          // the two default DENO_DIR locations are one place on a given machine
          const shown = labels.filter((l, i) => !(l.includes('Library/Caches/deno') && labels.some((o, j) => j < i && o.includes('.cache/deno'))));
          if (shown.length === 0) continue;
          const list = shown.length > 4 ? `${shown.slice(0, 4).join(', ')} and ${shown.length - 4} more` : shown.join(', ');
          out.push({
            span: v.span,
            subject: s,
            kind: 'write',
            message: `\`${v.value}\` in \`${g.text}\` lets ${describe(s)} rewrite ${list}: the program can change its own code or permissions for the next run; write only where its output goes (for example \`${grantExample(s, g, './out')}\`)`,
          });
        }
      }
    }
    return out;
  },
};
