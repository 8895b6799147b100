/**
 * The link phase: ordered, pure passes over the model the sources built, connecting what runs
 * what. Each pass reads and updates the model only; the order matters and is fixed here:
 *
 * 1. `applyImageUsers` — a compose service built from a repository Dockerfile runs as that
 *    image's user (root evidence for container rules), before anything inherits containers;
 * 2. `followDeployments` — what deployment and CI files run (`deno task`, `npm start`, script
 *    paths, chains to a fixed point) takes their context, callers, container and runtime pin;
 *    NODE_OPTIONS set around the caller re-reads the node it ends up running;
 * 3. `applyRepositoryPins` — the nearest pin file for invocations without a version of their own;
 * 4. `linkPermissionSets` — a permission set takes the strongest context of what loads it;
 * 5. `linkNodeConfigs` — node.config.json onto the node invocations that load it (after the
 *    final NODE_OPTIONS reading);
 * 6. `applyVersionEffects` — the pins now attached re-evaluate what depends on the version
 *    (Node's implicit entry read and ungated network, Deno 1.x's global `deno install`);
 * 7. `linkDenoConfigs` — the deno.json each run finds (nearest up from its final working
 *    directory) and the workspace root whose lockfile applies, for rules to read.
 */
import type { Model } from '../model.js';
import { applyImageUsers, applyRepositoryPins, followDeployments } from './follow.js';
import { linkPermissionSets } from './permission-sets.js';
import { linkNodeConfigs } from './node-config.js';
import { linkDenoConfigs } from './configs.js';
import { applyVersionEffects } from './versions.js';

export const LINK_PASSES: readonly { name: string; run: (model: Model) => void }[] = [
  { name: 'container images', run: applyImageUsers },
  { name: 'deployment following', run: followDeployments },
  { name: 'repository pins', run: applyRepositoryPins },
  { name: 'permission sets', run: linkPermissionSets },
  { name: 'node.config.json', run: linkNodeConfigs },
  { name: 'runtime versions', run: applyVersionEffects },
  { name: 'nearest deno.json', run: linkDenoConfigs },
];

export function link(model: Model): Model {
  for (const pass of LINK_PASSES) pass.run(model);
  return model;
}
