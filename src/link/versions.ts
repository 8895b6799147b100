/**
 * Link pass: version pins attached after parsing (pin files, the image or setup step of the
 * deployment file that runs a task) re-evaluate what depends on the runtime version:
 *
 * - Node: the entry file's implicit read (22.17+, 24.2+) and the network left ungated before 25,
 *   in the effective permissions of invocations under the permission model;
 * - Deno 1.x: `deno install` without `-g` is the global installer (its flags are valid and no
 *   project lockfile is involved); the argv is read again as Deno 1.x reads it. Imports are not
 *   gated before Deno 2.0 (`--allow-import` is 2.x; checked with Deno 1.46.3, which loads a
 *   remote module from any host with no flag, even with `--deny-net`): the import kind is all.
 *
 * Grammar diagnostics carry their version ranges already; rules weigh them against the pin.
 */
import type { Invocation, Model } from '../model.js';
import { isDeno1, parseDeno } from '../grammar/deno.js';
import { nodeEffectiveFor } from '../grammar/node.js';
import { setGrammarReading } from '../grammar/command.js';

/** The pinned version (node-semver) the invocation runs, from the pin its context names. */
export function pinnedVersion(model: Model, inv: Invocation): string | undefined {
  const own = inv.context.runtimeVersion;
  if (!own) return undefined;
  const pin = (model.pins ?? []).find((p) => p.runtime === inv.runtime && p.span.file === own.span.file && p.span.line === own.span.line && p.span.column === own.span.column);
  return pin?.version;
}

export function applyVersionEffects(model: Model): void {
  for (const inv of model.invocations) {
    const version = pinnedVersion(model, inv);
    if (!version) continue;
    if (inv.runtime === 'node') {
      if (inv.node?.enabled && !inv.implicitAll) inv.effective = nodeEffectiveFor(inv.permissions, inv.entrypoint, version);
      continue;
    }
    if (!isDeno1(version)) continue;
    if (inv.subcommand === 'install' && !inv.installsGlobally) reReadDeno1Install(model, inv, version);
    if (!inv.implicitAll) inv.effective = { ...inv.effective, import: { allow: 'all', deny: [], ignore: [] } };
  }
}

/** `deno install x.ts` under Deno 1.x: the global installer. */
function reReadDeno1Install(model: Model, inv: Invocation, version: string): void {
  const p = parseDeno(inv.argv, undefined, { version });
  setGrammarReading(inv, p);
  inv.takesPermissions = p.takesPermissions;
  if (p.entrypoint) inv.entrypoint = p.entrypoint;
  if (p.installsGlobally) inv.installsGlobally = true;
  for (const c of model.commands) if (c.invocationId === inv.id && c.packageManager) c.packageManager = { ...c.packageManager, global: true };
}
