/**
 * Link pass: Node invocations that load a node.config.json (`--experimental-config-file`,
 * `--experimental-default-config-file`) get its permissions, and the model is on when the file's
 * `permission` namespace switches it on (facts §2.4). Runs after NODE_OPTIONS were applied, on
 * top of the final argv reading.
 */
import type { Declaration, GrammarWording, Invocation, Model, Span } from '../model.js';
import { nodeEffective } from '../grammar/node.js';
import { joinPath } from '../sources/types.js';

export function linkNodeConfigs(model: Model): void {
  const configs = model.declarations.filter((d) => d.declaration === 'node-config');
  if (configs.length === 0) return;
  for (const inv of model.invocations) {
    if (inv.runtime !== 'node') continue;
    const flag = inv.flags.find((f) => f.name === '--experimental-config-file' || f.name === '--experimental-default-config-file');
    if (!flag) continue;
    const cwd = inv.context.cwd ?? '';
    const rel = flag.name === '--experimental-default-config-file' ? 'node.config.json' : (flag.value ?? 'node.config.json');
    const path = joinPath(cwd, rel);
    const decls = configs.filter((d) => d.origin.file === path);
    if (decls.length === 0) continue;
    applyConfig(inv, decls, flag.span);
  }
}

/** The grammar's start-up refusals that hold only while the permission model is off. */
const WITHOUT_MODEL: ReadonlySet<GrammarWording['w']> = new Set<GrammarWording['w']>(['node-fs-grant-without-model', 'node-grant-without-model-26']);

function applyConfig(inv: Invocation, decls: Declaration[], span: Span) {
  const on = decls.some((d) => d.enablesModel);
  if (on && !inv.node?.enabled) {
    inv.node = { ...(inv.node ?? {}), enabled: { flag: `${decls[0]!.origin.file} "permission"`, span } };
    // the argv alone had grants without the model (a start-up refusal: file-system grants on every
    // release, any `--allow-*` flag on 26); the config switches the model on
    inv.diagnostics = inv.diagnostics.filter((d) => !WITHOUT_MODEL.has(d.data.w));
  }
  const grants = decls.flatMap((d) => d.permissions);
  inv.permissions = [...inv.permissions, ...grants.map((g) => ({ ...g, set: decls[0]!.origin.file }))];
  if (!inv.node?.enabled) return;
  delete inv.implicitAll;
  inv.effective = nodeEffective(inv.permissions);
}

