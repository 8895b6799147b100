/**
 * node.config.json (`--experimental-config-file` / `--experimental-default-config-file`):
 * the `permission` namespace (and permission keys under `nodeOptions`) as a declaration
 * (facts §2.4). The link phase (src/link/node-config.ts) applies it to the invocations that load it.
 */
import { findNodeAtLocation } from 'jsonc-parser';
import type { Declaration, PermissionGrant } from '../model.js';
import { noPermissions } from '../model.js';
import { NODE_PERMISSION_FLAGS } from '../grammar/node.js';
import { diag } from '../grammar/permissions.js';
import { parseJsonc, props, spanOf, text } from './deno-json.js';
import { dirOf, origin, type ScanContext, type SourceFile } from './types.js';
import { head } from './registry.js';

export const nodeConfigSource = {
  ...head('node-config'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const { root, errors } = parseJsonc(file);
    for (const e of errors.slice(0, 1)) ctx.model.problems.push({ file: file.path, ...e, source: 'node-config' });
    if (!root || errors.length > 0 || root.type !== 'object') return;
    for (const ns of ['permission', 'nodeOptions'] as const) {
      const node = findNodeAtLocation(root, [ns]);
      if (!node || node.type !== 'object') continue;
      const grants: PermissionGrant[] = [];
      const d: Declaration = {
        type: 'declaration',
        id: `${file.path}#node-config:${ns}`,
        declaration: 'node-config',
        name: ns,
        runtime: 'node',
        span: spanOf(file, node.parent!.children![0]!),
        permissions: grants,
        effective: noPermissions(),
        diagnostics: [],
        origin: origin(file, spanOf(file, node.parent!), 'node-config', ns),
        context: { kind: ctx.contextFor(file.path, 'development'), cwd: dirOf(file.path) },
      };
      let enables: boolean | undefined = ns === 'permission' ? true : undefined;
      for (const [key, k, v] of props(node)) {
        const span = file.index.span(k.offset, v.offset + v.length);
        if (key === 'permission' && v.type === 'boolean') {
          enables = v.value as boolean;
          continue;
        }
        const spec = NODE_PERMISSION_FLAGS[`--${key}`];
        if (!spec) {
          if (ns === 'permission') d.diagnostics.push(diag('unknown-flag', { w: 'node-config-unknown-permission-key', key }, spanOf(file, k)));
          continue;
        }
        const values = v.type === 'array' ? (v.children ?? []) : [v];
        const scope = spec.list
          ? values.filter((x) => x.type === 'string').map((x) => ({ value: x.value as string, span: file.index.span(x.offset + 1, x.offset + x.length - 1) }))
          : [];
        const all = spec.list ? scope.some((x) => x.value === '*') : v.value !== false;
        if (!spec.list && v.value === false) continue;
        grants.push({ kind: spec.kind, mode: 'allow', scope: all ? 'all' : scope, span, text: text(file, k.parent!), via: 'config' });
      }
      if (grants.length === 0 && enables === undefined) continue;
      d.enablesModel = !!enables;
      ctx.model.declarations.push(d);
    }
  },
};
