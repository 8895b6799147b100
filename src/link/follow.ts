/**
 * Link passes: follow what deployment and CI files run; who a compose-built image runs as; the
 * repository's pinned runtime versions.
 *
 * `deno task <name>`, `npm start`, `npm test`, `npm run <name>`, `yarn <name>`, `pnpm <name>`
 * and script paths (`./scripts/start.sh`, `sh scripts/x.sh`) in a deployment or CI command are
 * resolved to the deno.json task, package.json script or script file they run (nearest config
 * up from the working directory; `--cwd`, `--config`, `-w`/`--workspace`, `--filter`,
 * `--prefix`, `yarn workspace <pkg>` pick workspace members). The target's invocations and
 * commands then run in the caller's context (`deployment` outranks `ci`), with
 * `context.calledBy` naming every caller. Chains (`deno task start` → `deno task build`) are
 * followed to a fixed point.
 *
 * Also: the repository's pinned runtime version (nearest `.nvmrc`, `.dvmrc`, exact `engines`, …
 * up from the working directory) for invocations that have none from their own file.
 *
 * Each pass reads and updates the model only (no file is read here).
 */
import type { Command, ContextKind, EnvSetting, InvocationContext, Model, Origin, PackageFacts } from '../model.js';
import { applyNodeGrammar, basename } from '../grammar/command.js';
import { dirOf } from '../sources/types.js';
import { RANK } from './context.js';
import { ByFolder } from './nearest.js';
import { imageUser, saysWhoRuns } from '../semantics/container.js';

const FOLLOWING = new Set<ContextKind>(['deployment', 'build', 'ci']);

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh']);
/** Folders on a container's default PATH: a bare program name runs a file COPYed there. */
const ON_PATH = new Set(['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']);

function join(base: string, rel: string): string {
  const parts = rel.startsWith('/') ? [] : base.split('/').filter(Boolean);
  for (const p of rel.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

export function followDeployments(model: Model): void {
  // what can be a target
  const packageList: PackageFacts[] = model.packages ?? [];
  const packages = new ByFolder(packageList, (p) => p.dir);
  const configs = new ByFolder(model.denoConfigs, (c) => c.dir);
  const scriptFiles = new Set<string>();
  for (const c of model.commands) if (c.origin.source === 'shell' || c.origin.source === 'shebang') scriptFiles.add(c.origin.file);
  for (const i of model.invocations) if (i.origin.source === 'shell' || i.origin.source === 'shebang') scriptFiles.add(i.origin.file);

  const targetKeyOf = (o: Origin): string | undefined => {
    if (o.source === 'deno.json' && o.name !== undefined) return `task|${o.file}|${o.name}`;
    if (o.source === 'package.json' && o.name !== undefined) return `script|${o.file}|${o.name}`;
    if (o.source === 'shell' || o.source === 'shebang') return `file|${o.file}`;
    return undefined;
  };

  const denoTask = (cwd: string, name: string, config?: string): string | undefined => {
    if (config) {
      const c = model.denoConfigs.find((x) => x.file === config);
      return c && c.tasks.includes(name) ? `task|${c.file}|${name}` : undefined;
    }
    return configs.walk(cwd, (here) => {
      const c = here.find((x) => x.tasks.includes(name));
      if (c) return `task|${c.file}|${name}`;
      // a workspace member without the task: the root's tasks apply; a config that has tasks ends the search
      return here[0]!.workspaceRoot ? undefined : false;
    });
  };
  const pkgScript = (cwd: string, name: string, workspace?: string): string | undefined => {
    if (workspace) {
      const byName = packageList.find((p) => p.name === workspace);
      const byDir = packages.at(join(cwd, workspace))[0];
      const p = byName ?? byDir;
      return p && p.scripts.includes(name) ? `script|${p.file}|${name}` : undefined;
    }
    // npm uses the nearest package.json
    const p = packages.nearest(cwd);
    return p?.scripts.includes(name) ? `script|${p.file}|${name}` : undefined;
  };
  const scriptFile = (cmd: Command, path: string): string | undefined => {
    const ctx = cmd.context;
    const cwd = ctx.cwd ?? '';
    // a file the image COPYs (`COPY start.sh /usr/local/bin/`): the container path names the repository file
    const copied = ctx.container?.files;
    if (copied?.length) {
      const wd = ctx.container?.workdir ?? '/';
      const abs = path.startsWith('/') ? `/${join('', path)}` : path.includes('/') ? `/${join(wd, path)}` : undefined;
      const hit = abs
        ? copied.find((f) => f.path === abs) ?? copied.find((f) => abs.startsWith(`${f.path}/`))
        : copied.find((f) => ON_PATH.has(f.path.slice(0, f.path.lastIndexOf('/'))) && f.path.slice(f.path.lastIndexOf('/') + 1) === path);
      if (hit) {
        const repo = abs && hit.path !== abs ? join(hit.repo, abs.slice(hit.path.length + 1)) : hit.repo;
        if (scriptFiles.has(repo)) return `file|${repo}`;
      }
    }
    if (!path.includes('/')) return undefined;
    let rel: string | undefined;
    if (path.startsWith('/')) {
      const wd = ctx.container?.workdir;
      if (wd && (path.startsWith(`${wd.replace(/\/$/, '')}/`))) rel = join(cwd, path.slice(wd.replace(/\/$/, '').length + 1));
    } else {
      rel = join(cwd, path);
      // a manifest's folder is not where the image's files come from: try the repository root too
      if (!scriptFiles.has(rel) && (cmd.origin.source === 'kubernetes' || cmd.origin.source === 'compose' || cmd.origin.source === 'systemd')) rel = join('', path);
    }
    return rel !== undefined && scriptFiles.has(rel) ? `file|${rel}` : undefined;
  };

  const targetOf = (cmd: Command): string | undefined => {
    const prog = basename(cmd.program.value);
    const words = cmd.args.map((a) => a.value);
    const cwd = cmd.context.cwd ?? '';
    if (cmd.program.dynamic) return undefined;
    // a word not known statically up to the one that names the target stops the follow; unknown arguments after it do not
    const dynamicUpTo = (k: number) => cmd.args.slice(0, k + 1).some((a) => a.dynamic);
    if (prog === 'deno') {
      let i = 0;
      while (i < words.length && words[i]!.startsWith('-')) i++;
      if (words[i] !== 'task' || dynamicUpTo(i)) return undefined;
      let dir = cwd;
      let config: string | undefined;
      for (i++; i < words.length; i++) {
        const w = words[i]!;
        if (w === '--cwd' && words[i + 1] !== undefined) dir = join(cwd, words[++i]!);
        else if (w.startsWith('--cwd=')) dir = join(cwd, w.slice(6));
        else if ((w === '-c' || w === '--config') && words[i + 1] !== undefined) config = join(cwd, words[++i]!);
        else if (w.startsWith('--config=')) config = join(cwd, w.slice(9));
        else if (w === '-f' || w === '--filter') return undefined; // several members: not one target
        else if (!w.startsWith('-')) return dynamicUpTo(i) ? undefined : denoTask(dir, w, config);
      }
      return undefined;
    }
    if (prog === 'npm' || prog === 'yarn' || prog === 'pnpm') {
      // the package-manager grammar says which script it runs; nothing up to the script's word may be unknown
      const pm = cmd.packageManager;
      if (!pm?.script || dynamicUpTo(pm.script.argIndex)) return undefined;
      return pkgScript(pm.dir !== undefined ? join(cwd, pm.dir) : cwd, pm.script.name, pm.workspace);
    }
    if (SHELLS.has(prog)) {
      const at = words.findIndex((w) => !w.startsWith('-'));
      if (at < 0 || words.slice(0, at).includes('-c') || dynamicUpTo(at)) return undefined;
      // `sh start.sh` opens start.sh in the working folder (a path, not a program looked up on PATH;
      // bash falls back to PATH when there is none)
      const operand = words[at]!;
      return (operand.includes('/') ? undefined : scriptFile(cmd, `./${operand}`)) ?? scriptFile(cmd, operand);
    }
    return scriptFile(cmd, cmd.program.value);
  };

  // edges: caller command → target key
  const edges: { from: Command; to: string }[] = [];
  const remote = new Set(['kubernetes', 'compose', 'systemd']);
  for (const c of model.commands) {
    // a manifest's own folder is rarely the image's working folder: fall back to the repository root
    const to = targetOf(c) ?? (remote.has(c.origin.source) && c.context.cwd ? targetOf({ ...c, context: { ...c.context, cwd: '' } }) : undefined);
    if (to && to !== targetKeyOf(c.origin)) edges.push({ from: c, to });
  }
  if (!edges.length) return;

  // effective kind of each target, to a fixed point (chains of tasks)
  const targetKind = new Map<string, ContextKind>();
  const kindOf = (c: Command): ContextKind => {
    const own = c.context.kind;
    const key = targetKeyOf(c.origin);
    const t = key ? targetKind.get(key) : undefined;
    return t && RANK[t] > RANK[own] && own !== 'test' ? t : own;
  };
  for (let round = 0; round < 64; round++) {
    let changed = false;
    for (const e of edges) {
      const k = kindOf(e.from);
      if (!FOLLOWING.has(k)) continue;
      const have = targetKind.get(e.to);
      if (!have || RANK[k] > RANK[have]) {
        targetKind.set(e.to, k);
        changed = true;
      }
    }
    if (!changed) break;
  }
  if (!targetKind.size) return;

  const callers = new Map<string, { origin: Origin; context: InvocationContext }[]>();
  for (const e of edges) {
    if (!FOLLOWING.has(kindOf(e.from)) || !targetKind.has(e.to)) continue;
    const list = callers.get(e.to) ?? [];
    if (!list.some((x) => x.origin.file === e.from.origin.file && x.origin.span.line === e.from.origin.span.line && x.origin.span.column === e.from.origin.span.column)) list.push({ origin: e.from.origin, context: e.from.context });
    callers.set(e.to, list);
  }

  // new contexts for everything the targets hold
  const replaced = new Map<InvocationContext, InvocationContext>();
  const contextFor = (key: string, old: InvocationContext): InvocationContext => {
    const have = replaced.get(old);
    if (have) return have;
    const kind = targetKind.get(key)!;
    const by = callers.get(key) ?? [];
    const next: InvocationContext = { ...old, kind: old.kind === 'test' ? 'test' : RANK[kind] > RANK[old.kind] ? kind : old.kind, calledBy: [...(old.calledBy ?? []), ...by.map((b) => b.origin)] };
    const rv = by.map((b) => b.context.runtimeVersion).find((x) => x);
    if (!next.runtimeVersion && rv) next.runtimeVersion = rv;
    // the target runs inside the caller's container: its user and privileges apply
    const container = by.map((b) => b.context.container).find((x) => saysWhoRuns(x));
    if (!next.container && container) next.container = container;
    replaced.set(old, next);
    return next;
  };
  const retarget = <T extends { origin: Origin; context: InvocationContext }>(x: T) => {
    const key = targetKeyOf(x.origin);
    if (key && targetKind.has(key)) x.context = contextFor(key, x.context);
  };
  model.invocations.forEach(retarget);
  // NODE_OPTIONS set around the caller (Dockerfile ENV, compose environment) reaches the node it ends up running
  const callerEnv = new Map<string, EnvSetting[]>();
  for (const e of edges) {
    if (!targetKind.has(e.to) || callerEnv.has(e.to)) continue;
    const opts = [...(e.from.inheritedEnv ?? []), ...e.from.env].filter((x) => x.name === 'NODE_OPTIONS');
    if (opts.length) callerEnv.set(e.to, opts);
  }
  for (const inv of model.invocations) {
    if (inv.runtime !== 'node') continue;
    const key = targetKeyOf(inv.origin);
    const opts = key ? callerEnv.get(key) : undefined;
    if (!opts || (inv.env ?? []).some((x) => x.name === 'NODE_OPTIONS')) continue;
    // the script itself exported, unset or branched on NODE_OPTIONS before this line (or `env -u`
    // removed it): its own value, or its absence, wins over the caller's
    if (model.commands.some((c) => c.invocationId === inv.id && c.envDecided?.includes('NODE_OPTIONS'))) continue;
    applyNodeGrammar(inv, [...opts, ...(inv.env ?? [])]);
  }
  model.commands.forEach(retarget);
  model.env.forEach(retarget);
}

/**
 * A compose service built from a repository Dockerfile and given no `user`: the image's final
 * stage decides, so its root evidence applies (rules.md "Root in containers").
 */
export function applyImageUsers(model: Model): void {
  const images = new Map((model.dockerImages ?? []).map((i) => [i.file, i]));
  if (images.size === 0) return;
  for (const x of [...model.invocations, ...model.commands]) {
    const c = x.context.container;
    if (!c?.dockerfile || c.user || c.imageDefaultUser) continue;
    const image = images.get(c.dockerfile);
    if (image) x.context = { ...x.context, container: { ...c, ...imageUser(image) } };
  }
}

/** The repository's pin files give invocations without a runtime version of their own one (nearest folder up). */
export function applyRepositoryPins(model: Model): void {
  const all = model.pins ?? [];
  const pins = all.filter((p) => p.source === 'version-pin' || p.source === 'package.json');
  const bySpan = new Map(all.map((p) => [`${p.span.file}:${p.span.line}:${p.span.column}`, p]));
  const byFolder = new ByFolder(pins, (p) => dirOf(p.span.file));
  for (const inv of model.invocations) {
    const rv = inv.context.runtimeVersion;
    if (rv) {
      // an image or setup step of the other runtime says nothing about this one
      const pin = bySpan.get(`${rv.span.file}:${rv.span.line}:${rv.span.column}`);
      if (!pin || pin.runtime === inv.runtime) continue;
      const { runtimeVersion: _drop, ...rest } = inv.context;
      inv.context = rest;
    }
    // `node-version-file: .nvmrc` in a workflow: that file decides
    const fromFile = inv.context.runtimeVersionFile && pins.find((p) => p.runtime === inv.runtime && p.span.file === inv.context.runtimeVersionFile);
    if (fromFile) {
      inv.context = { ...inv.context, runtimeVersion: { value: fromFile.text, span: fromFile.span } };
      continue;
    }
    // the nearest folder with a pin of this runtime; a pin file outranks package.json engines there
    const best = byFolder.walk(inv.context.cwd ?? '', (here) => {
      const mine = here.filter((p) => p.runtime === inv.runtime);
      return mine.find((p) => p.source === 'version-pin') ?? mine[0];
    });
    if (best) inv.context = { ...inv.context, runtimeVersion: { value: best.text, span: best.span } };
  }
}
