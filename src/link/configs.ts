/**
 * Link pass: the deno.json each invocation and declaration runs under — the nearest config up
 * from its working directory, as Deno looks for it — and the workspace root whose `lock`
 * applies. Rules read `context.denoConfig` instead of walking folders themselves.
 */
import type { DenoConfigFacts, Model } from '../model.js';
import { ByFolder } from './nearest.js';

export function linkDenoConfigs(model: Model): void {
  const byDir = new ByFolder(model.denoConfigs, (c) => c.dir);
  const byFile = new Map<string, DenoConfigFacts>(model.denoConfigs.map((c) => [c.file, c]));
  for (const s of [...model.invocations, ...model.declarations]) {
    const ctx = s.context;
    const c = byDir.nearest(repoDir(ctx.cwd));
    if (!c) {
      delete ctx.denoConfig;
      continue;
    }
    const root = (c.workspaceRoot ? byFile.get(c.workspaceRoot) : undefined) ?? c;
    ctx.denoConfig = { file: c.file, workspaceRoot: root.file };
  }
}

/** The folder a working directory stands for in the repository (`''` when unknown). */
function repoDir(cwd: string | undefined): string {
  if (!cwd) return '';
  return cwd.replace(/\/+$/, '');
}

/** The config facts `context.denoConfig` names: the nearest deno.json and the workspace root that owns its lockfile. */
export function denoConfigOf(model: Model, ctx: { denoConfig?: { file: string; workspaceRoot: string } }): { config?: DenoConfigFacts; lockRoot?: DenoConfigFacts } {
  const link = ctx.denoConfig;
  if (!link) return {};
  const config = model.denoConfigs.find((c) => c.file === link.file);
  const lockRoot = model.denoConfigs.find((c) => c.file === link.workspaceRoot) ?? config;
  return { ...(config ? { config } : {}), ...(lockRoot ? { lockRoot } : {}) };
}
