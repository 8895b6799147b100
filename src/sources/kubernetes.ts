/**
 * Kubernetes manifests (YAML found by content: `apiVersion` + `kind`): Pod, Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and `kind: List`,
 * every document of a multi-document file; `initContainers` and `containers` with
 * `command` + `args`, `env`, `workingDir`, `image`, the pod and container `securityContext`
 * merged, and host access (`hostPath`, `hostNetwork`, `hostPID`, `hostIPC`).
 *
 * Also home of the helpers the compose source shares: running a container's argv against
 * its image's entrypoint, and container-variable expansion.
 */
import type { DynamicReason, ContainerContext, ContainerSetting, ContextKind, EnvSetting, InvocationContext, Origin, SourceKind, Span, Token } from '../model.js';
import { addArgv } from './commands.js';
import { addPin, imagePin, parseImage } from './version-pins.js';
import { looksLikeTemplate, parseYaml, YReader, type YNode } from './yaml-util.js';
import { dirOf, type ScanContext, type SourceFile } from './types.js';
import { head } from './registry.js';

const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** Deno subcommands: `args: ["run", …]` on a denoland/deno image runs `deno run …` (its docker-entrypoint.sh adds `deno`). */
const DENO_SUBCOMMANDS = new Set([
  'run', 'serve', 'task', 'eval', 'test', 'bench', 'compile', 'cache', 'install', 'uninstall', 'x', 'repl', 'fmt', 'lint', 'check', 'info', 'doc',
  'upgrade', 'jupyter', 'publish', 'add', 'remove', 'outdated', 'coverage', 'types', 'init', 'completions', 'vendor', 'clean', 'deploy',
]);

/** True when a YAML file looks like a Kubernetes manifest (cheap check on the text; the parse decides). */
export function sniffKubernetes(text: string): boolean {
  return /^\s*apiVersion\s*:/m.test(text) && /^\s*kind\s*:/m.test(text);
}

export interface ContainerRun {
  origin: Origin;
  context: InvocationContext;
  id: string;
  /** The container's `command` / compose `entrypoint` words, when written. */
  command?: Token[];
  /** `args` / compose `command` words, when written. */
  args?: Token[];
  /** Span of the args (for the unresolved-value note when nothing says what runs them). */
  argsSpan?: Span;
  image?: Token;
  env: EnvSetting[];
  /** What the source calls the pieces, for messages: `args` / `command`. */
  argsName: string;
}

/** Analyse what a container runs: command + args, or args run by the image's entrypoint. */
export function runContainer(run: ContainerRun, ctx: ScanContext): void {
  let argv: Token[] | undefined;
  if (run.command && run.command.length > 0) argv = [...run.command, ...(run.args ?? [])];
  else if (run.args && run.args.length > 0) {
    const img = run.image ? parseImage(run.image.value) : undefined;
    const first = run.args[0]!;
    if (img?.runtime === 'deno' && DENO_SUBCOMMANDS.has(first.value)) argv = [{ value: 'deno', span: run.image!.span }, ...run.args];
    else if (img?.runtime === 'node' && (first.value.startsWith('-') || /\.(c|m)?js$|\.ts$/.test(first.value))) argv = [{ value: 'node', span: run.image!.span }, ...run.args];
    else if (img?.runtime) argv = run.args; // the image's docker-entrypoint.sh runs any other program as given
    else if (!first.value.startsWith('-') && !DENO_SUBCOMMANDS.has(first.value)) argv = run.args; // names a program: an entrypoint wrapper runs it
    else {
      const relevant = run.args.some((a) => /^(-A|--allow-|--deny-|--permission|--experimental-permission)/.test(a.value) || a.value === 'deno' || a.value === 'node');
      if (relevant) {
        ctx.model.unresolved.push({
          span: run.argsSpan ?? first.span,
          code: 'args-without-command',
          argsName: run.argsName,
          ...(run.image ? { image: run.image.value } : {}),
          origin: run.origin,
        });
      }
      return;
    }
  }
  if (!argv || argv.length === 0) return;
  // `["sh", "-c", "deno run -A main.ts"]` is seen through: the string is parsed as shell
  addArgv(argv, { origin: run.origin, context: run.context, inheritedEnv: run.env, id: run.id }, ctx);
}

/** Kubernetes `$(VAR)` expansion in command and args, from the container's literal env; `$$(` is a literal `$(`. */
export function expandKubeVars(tok: Token, env: Map<string, string | undefined>): Token {
  if (!tok.value.includes('$(')) return tok;
  const unknown: DynamicReason[] = [];
  const value = tok.value.replace(/\$\$\(|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (name === undefined) return '$(';
    const v = env.get(name);
    if (v === undefined) {
      unknown.push({ kind: 'variable', of: 'kubernetes', name });
      return m;
    }
    return v;
  });
  const out: Token = { ...tok, value };
  if (unknown.length) out.dynamic = [...(tok.dynamic ?? []), ...unknown];
  return out;
}

export const kubernetesSource = {
  ...head('kubernetes'),
  parse(file: SourceFile, ctx: ScanContext): void {
    if (!sniffKubernetes(file.text)) return;
    if (looksLikeTemplate(file.text)) {
      const at = file.text.indexOf('{{');
      ctx.model.unresolved.push({
        span: file.index.span(at, at + 2),
        code: 'helm-manifest',
        origin: { file: file.path, span: file.index.span(0, 0), source: 'kubernetes' },
      });
      return;
    }
    const { docs } = parseYaml(file, ctx, 'kubernetes');
    const context = ctx.contextFor(file.path, 'deployment');
    docs.forEach((doc, i) => {
      const r = new YReader(file, doc);
      readObject(r, doc.contents as YNode | undefined, `${i + 1}`, ctx, context, 0);
    });
  },
};

/** Read one manifest object (and the items of a `List`); `source` names the kind that found it (Helm templates are read the same way). */
export function readObject(r: YReader, obj: YNode | undefined, ordinal: string, ctx: ScanContext, context: ContextKind, depth: number, source: SourceKind = 'kubernetes'): void {
  if (!obj || depth > 8 || !r.isMap(obj)) return;
  const kind = r.str(r.get(obj, 'kind'));
  const name = r.str(r.path(obj, 'metadata', 'name')) ?? ordinal;
  if (kind === 'List' || (kind?.endsWith('List') && r.isSeq(r.get(obj, 'items')))) {
    r.items(r.get(obj, 'items')).forEach((item, k) => readObject(r, item, `${ordinal}.${k + 1}`, ctx, context, depth + 1, source));
    return;
  }
  let pod: YNode | undefined;
  if (kind === 'Pod') pod = r.get(obj, 'spec');
  else if (kind && POD_TEMPLATE_KINDS.has(kind)) pod = r.path(obj, 'spec', 'template', 'spec');
  else if (kind === 'CronJob') pod = r.path(obj, 'spec', 'jobTemplate', 'spec', 'template', 'spec');
  else if (kind === 'PodTemplate') pod = r.path(obj, 'template', 'spec');
  if (!pod) return;
  readPod(r, pod, `${kind}/${name}`, ctx, context, source);
}

function readPod(r: YReader, pod: YNode, owner: string, ctx: ScanContext, kind: ContextKind, source: SourceKind): void {
  const file = r.file;
  const podSec = r.get(pod, 'securityContext');
  const podSettings: ContainerSetting[] = [];
  const NAMESPACE = { hostNetwork: 'network', hostPID: 'pid', hostIPC: 'ipc' } as const;
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    const e = r.entry(pod, key);
    if (e && r.bool(e.value) === true) podSettings.push({ fact: 'host-namespace', namespace: NAMESPACE[key], span: r.pairSpan(e), text: `${key}: true` });
  }
  const hostVolumes = new Map<string, ContainerSetting>();
  for (const v of r.items(r.get(pod, 'volumes'))) {
    const hp = r.entry(v, 'hostPath');
    const vname = r.str(r.get(v, 'name'));
    const path = r.str(r.get(hp?.value, 'path'));
    if (!hp || !vname || path === undefined) continue;
    hostVolumes.set(vname, { fact: 'host-mount', path, volume: vname, span: r.pairSpan(hp), text: `hostPath: ${path}` });
  }
  for (const listKey of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    for (const c of r.items(r.get(pod, listKey))) {
      const cname = r.str(r.get(c, 'name')) ?? `#${listKey}`;
      const container = containerContext(r, podSec, r.get(c, 'securityContext'));
      const settings = [...(container.settings ?? []), ...podSettings];
      for (const m of r.items(r.get(c, 'volumeMounts'))) {
        const hv = hostVolumes.get(r.str(r.get(m, 'name')) ?? '');
        if (hv) settings.push(hv);
      }
      if (settings.length) container.settings = settings;
      else delete container.settings;
      const workingDir = r.str(r.get(c, 'workingDir'));
      if (workingDir) container.workdir = workingDir;

      const imageTok = r.token(r.get(c, 'image'));
      const pin = imageTok ? addPin(ctx, imagePin(imageTok.value, imageTok.span, source, kind)) : undefined;
      const context: InvocationContext = { kind, cwd: dirOf(file.path), container };
      if (pin) context.runtimeVersion = { value: pin.text, span: pin.span };

      const cmdEntry = r.entry(c, 'command');
      const argsEntry = r.entry(c, 'args');
      const originSpan = cmdEntry ? r.pairSpan(cmdEntry) : argsEntry ? r.pairSpan(argsEntry) : r.span(r.get(c, 'name'));
      const origin: Origin = { file: file.path, span: originSpan, source, name: `${owner}/${cname}` };

      // env: literal values apply to $(VAR) and to NODE_OPTIONS; valueFrom is not known statically
      const env: EnvSetting[] = [];
      const literal = new Map<string, string | undefined>();
      for (const e of r.items(r.get(c, 'env'))) {
        const nameNode = r.get(e, 'name');
        const ename = r.str(nameNode);
        if (!ename) continue;
        const valEntry = r.entry(e, 'value');
        const fromEntry = r.entry(e, 'valueFrom');
        let value: Token;
        if (valEntry) value = r.token(valEntry.value) ?? { value: '', span: r.pairSpan(valEntry) };
        else if (fromEntry) value = { value: '', span: r.pairSpan(fromEntry), dynamic: [{ kind: 'k8s-value-from', name: ename }] };
        else value = { value: '', span: r.span(nameNode) };
        value = expandKubeVars(value, literal);
        literal.set(ename, value.dynamic ? undefined : value.value);
        const span = valEntry ? file.index.span(nameNode!.range![0], valEntry.value?.range?.[1] ?? nameNode!.range![1]) : r.span(nameNode);
        env.push({ name: ename, value, span, origin, context });
      }
      ctx.model.env.push(...env);

      const words = (n: YNode | undefined): Token[] | undefined => {
        if (!n) return undefined;
        if (!r.isSeq(n)) {
          const t = r.token(n);
          return t ? [expandKubeVars(t, literal)] : undefined;
        }
        return r.items(n).map((it) => r.token(it)).filter((t): t is Token => !!t).map((t) => expandKubeVars(t, literal));
      };
      const run: ContainerRun = {
        origin,
        context,
        id: `${file.path}#${owner}/${listKey}/${cname}`,
        env,
        argsName: 'args',
      };
      const command = words(cmdEntry?.value);
      const args = words(argsEntry?.value);
      if (command) run.command = command;
      if (args) run.args = args;
      if (argsEntry) run.argsSpan = r.pairSpan(argsEntry);
      if (imageTok) run.image = imageTok;
      runContainer(run, ctx);
    }
  }
}

/** Pod securityContext under container securityContext (the container's fields win). */
function containerContext(r: YReader, podSec: YNode | undefined, sec: YNode | undefined): ContainerContext {
  const out: ContainerContext = { platform: 'kubernetes' };
  const pick = (key: string) => r.entry(sec, key) ?? r.entry(podSec, key);
  const user = pick('runAsUser');
  if (user) {
    const v = r.str(user.value) ?? '';
    out.user = { value: v, span: r.pairSpan(user), text: `runAsUser: ${v}` };
  }
  const settings: ContainerSetting[] = [];
  const nonRoot = pick('runAsNonRoot');
  const nonRootValue = nonRoot ? r.bool(nonRoot.value) : undefined;
  if (nonRoot && nonRootValue !== undefined) settings.push({ fact: 'run-as-non-root', value: nonRootValue, span: r.pairSpan(nonRoot), text: `runAsNonRoot: ${nonRootValue}` });
  const priv = r.entry(sec, 'privileged');
  if (priv && r.bool(priv.value) === true) settings.push({ fact: 'privileged', span: r.pairSpan(priv), text: 'privileged: true' });
  const esc = r.entry(sec, 'allowPrivilegeEscalation');
  if (esc && r.bool(esc.value) === true) settings.push({ fact: 'privilege-escalation', span: r.pairSpan(esc), text: 'allowPrivilegeEscalation: true' });
  const seccomp = r.entry(r.get(sec, 'seccompProfile') ? sec : podSec, 'seccompProfile');
  if (seccomp && r.str(r.get(seccomp.value, 'type')) === 'Unconfined') settings.push({ fact: 'unconfined', profile: 'seccomp', span: r.pairSpan(seccomp), text: 'seccompProfile: Unconfined' });
  const caps = r.get(r.get(sec, 'capabilities'), 'add');
  for (const cap of r.items(caps)) {
    const name = r.str(cap);
    if (name) settings.push({ fact: 'capability', name, span: r.span(cap), text: name });
  }
  if (settings.length) out.settings = settings;
  return out;
}
