/**
 * Turborepo (`turbo.json`, `turbo.jsonc`): a task runs the package.json script of the same name
 * in every workspace package that has it (`build`), in one package (`web#build`) or in the
 * root package (`//#lint`), through the repository's package manager (`packageManager` of the
 * root package.json; npm when unset). Each of those runs is recorded as the command turbo
 * executes (`pnpm run build` in `apps/web`, at the task's key), so the link phase follows it to
 * the script like any `npm run`: where turbo.json runs in CI or deployment (the config's
 * `contexts`), the scripts are judged there. Context: development.
 *
 * The packages are the package.json files of this scan under the turbo.json folder (bounded).
 */
import type { Node as JsonNode } from 'jsonc-parser';
import { addArgv } from './commands.js';
import { parseJsonc, props } from './deno-json.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

const MAX_PACKAGES = 500;
const MAX_TASKS = 500;

interface Pkg {
  dir: string;
  name?: string;
  scripts: Set<string>;
  packageManager?: string;
}

/** The workspace's package.json files (name and script names), read once through the scan. */
export function workspacePackages(root: string, ctx: ScanContext): Pkg[] {
  const out: Pkg[] = [];
  for (const p of ctx.paths?.() ?? []) {
    if (out.length >= MAX_PACKAGES) break;
    if (!(p === 'package.json' || p.endsWith('/package.json')) || (root && !p.startsWith(`${root}/`)) || p.includes('node_modules/')) continue;
    const f = ctx.file?.(p);
    if (!f) continue;
    const { root: json, errors } = parseJsonc(f, true);
    if (!json || errors.length || json.type !== 'object') continue;
    const get = (k: string) => props(json).find(([key]) => key === k)?.[2];
    const name = get('name')?.value;
    const pm = get('packageManager')?.value;
    out.push({
      dir: dirOf(p),
      ...(typeof name === 'string' ? { name } : {}),
      scripts: new Set(props(get('scripts')).map(([k]) => k)),
      ...(typeof pm === 'string' ? { packageManager: pm } : {}),
    });
  }
  return out;
}

/** The program that runs scripts: the root package's `packageManager` (`pnpm@9.1.0` → pnpm), npm when unset. */
export function scriptRunner(packages: Pkg[], root: string): string {
  const pm = packages.find((p) => p.dir === root)?.packageManager?.split('@')[0];
  return pm === 'pnpm' || pm === 'yarn' || pm === 'bun' ? pm : 'npm';
}

/** The script runner of the workspace whose root package.json is `<root>/package.json` (Nx: the folder of nx.json). */
export function rootScriptRunner(root: string, ctx: ScanContext): string {
  const f = ctx.file?.(root ? `${root}/package.json` : 'package.json');
  const json = f ? parseJsonc(f, true).root : undefined;
  const pm = props(json).find(([k]) => k === 'packageManager')?.[2].value;
  return scriptRunner(typeof pm === 'string' ? [{ dir: root, scripts: new Set(), packageManager: pm }] : [], root);
}

export const turboSource: Source = {
  ...head('turbo'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const { root, errors } = parseJsonc(file);
    for (const e of errors.slice(0, 1)) ctx.model.problems.push({ file: file.path, ...e, source: 'turbo' });
    if (!root || errors.length || root.type !== 'object') return;
    const get = (n: JsonNode | undefined, k: string) => props(n).find(([key]) => key === k)?.[2];
    const tasks = get(root, 'tasks') ?? get(root, 'pipeline'); // turbo 2 / turbo 1
    if (!tasks) return;
    const dir = dirOf(file.path);
    const packages = workspacePackages(dir, ctx);
    const pm = scriptRunner(packages, dir);
    const kind = ctx.contextFor(file.path, 'development');
    for (const [key, keyNode] of props(tasks).slice(0, MAX_TASKS)) {
      const hash = key.indexOf('#');
      const owner = hash < 0 ? undefined : key.slice(0, hash);
      const script = hash < 0 ? key : key.slice(hash + 1);
      // `build` runs in the workspace packages; `web#build` in the package named web; `//#lint` in the root package
      const where = packages.filter((p) => p.scripts.has(script) && (owner === undefined ? p.dir !== dir : owner === '//' ? p.dir === dir : p.name === owner));
      const span = file.index.span(keyNode.offset, keyNode.offset + keyNode.length);
      for (const p of where) {
        const at = { value: '', span };
        addArgv(
          [{ ...at, value: pm }, { ...at, value: 'run' }, { ...at, value: script }],
          {
            origin: { file: file.path, span, source: 'turbo', name: `${key} ${p.name ?? (p.dir || '//')}` },
            context: { kind, cwd: p.dir },
            id: `${file.path}#${key}:${p.dir || '//'}`,
          },
          ctx,
        );
      }
    }
  },
};
