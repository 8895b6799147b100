/**
 * `-P` / `--permission-set` resolution against the deno.json files of a scan: the nearest
 * deno.json up from a command's folder, with workspace-root sets merged under member sets. Shared
 * by the scan (src/scan.ts) and the TypeScript analysis thread, which gets a copy of the sets
 * (`PermissionSetsSnapshot`) read in the scan's first phase.
 */
import { posix } from 'node:path';
import type { PermissionGrant } from './model.js';
import type { PermissionSetResolution, PermissionSetResolver } from './grammar/deno.js';
import { foldersUp } from './link/nearest.js';

/** What a permission set resolves to: the declaration's id, grants and where it was written. */
export interface SetDeclaration {
  id: string;
  permissions: PermissionGrant[];
  allowAll?: boolean;
  origin: { file: string };
}

/** Per folder of a deno.json: set name (`:test` etc. for the subcommand sets) → declaration id. */
export type SetTable = Map<string, { sets: Map<string, string> }>;

/** The sets of one scan as plain data, for another thread. */
export interface PermissionSetsSnapshot {
  folders: [string, [string, string][]][];
  declarations: SetDeclaration[];
}

export function setResolverFor(configs: SetTable, declaration: (id: string) => SetDeclaration | undefined): (cwd: string) => PermissionSetResolver {
  return (cwd) => (name, subcommand) => {
    const chain = foldersUp(cwd).flatMap((d) => configs.get(d) ?? []);
    const lookup = (setName: string): string | undefined => chain.map((c) => c.sets.get(setName)).find((x) => x !== undefined);
    let declId: string | undefined;
    if (name === undefined) {
      const specific = ['test', 'bench', 'compile', 'desktop'].includes(subcommand)
        ? chain.map((c) => c.sets.get(`:${subcommand === 'desktop' ? 'compile' : subcommand}`)).find((x) => x)
        : undefined;
      declId = specific ?? lookup('default');
      if (!declId) return { found: true, grants: [], allowAll: false };
    } else declId = lookup(name);
    if (!declId) return { found: false, grants: [], allowAll: false };
    const decl = declaration(declId);
    if (!decl) return { found: false, grants: [], allowAll: false };
    const res: PermissionSetResolution = { found: true, declarationId: decl.id, grants: decl.permissions, allowAll: !!decl.allowAll };
    // relative paths of the set resolve against its deno.json's folder, not the command's
    const setDir = decl.origin.file.includes('/') ? decl.origin.file.slice(0, decl.origin.file.lastIndexOf('/')) : '';
    const base = posix.relative(cwd, setDir);
    if (base) res.base = base;
    return res;
  };
}

/** The sets as plain data (the declarations they name, as the scan's resolver would find them). */
export function snapshotSets(configs: SetTable, declaration: (id: string) => SetDeclaration | undefined): PermissionSetsSnapshot {
  const declarations = new Map<string, SetDeclaration>();
  const folders: [string, [string, string][]][] = [];
  for (const [dir, c] of configs) {
    folders.push([dir, [...c.sets]]);
    for (const id of c.sets.values()) {
      const d = declaration(id);
      if (d && !declarations.has(id)) declarations.set(id, { id: d.id, permissions: d.permissions, ...(d.allowAll !== undefined ? { allowAll: d.allowAll } : {}), origin: { file: d.origin.file } });
    }
  }
  return { folders, declarations: [...declarations.values()] };
}

/** The resolver of a snapshot (in the thread that received it). */
export function resolverOfSnapshot(s: PermissionSetsSnapshot): (cwd: string) => PermissionSetResolver {
  const configs: SetTable = new Map(s.folders.map(([dir, sets]) => [dir, { sets: new Map(sets) }]));
  const byId = new Map(s.declarations.map((d) => [d.id, d]));
  return setResolverFor(configs, (id) => byId.get(id));
}
