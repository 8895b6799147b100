/**
 * Compose files (`compose.y(a)ml`, `docker-compose*.y(a)ml`): each service's `command` and
 * `entrypoint` (string or list), `environment` (map or list), `user`, `privileged`,
 * `cap_add`, `security_opt`, host namespaces, volumes that mount the Docker socket or host
 * system folders, `image` and `build` (the build folder is the service's working folder).
 */
import type { DynamicReason, ContainerContext, ContainerSetting, EnvSetting, InvocationContext, Origin, Token } from '../model.js';
import { uniqueReasons } from '../model.js';
import { splitEnvString } from '../shell/index.js';
import { addPin, imagePin } from './version-pins.js';
import { runContainer, type ContainerRun } from './kubernetes.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { dirOf, joinPath, type ScanContext, type SourceFile } from './types.js';
import { head } from './registry.js';


/** Compose `${VAR}` / `$VAR` interpolation: not known statically (it comes from `.env` or the shell); `$$` is a `$`. */
function interpolate(tok: Token): Token {
  if (!tok.value.includes('$')) return tok;
  const unknown: DynamicReason[] = [];
  const value = tok.value.replace(/\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, braced: string | undefined, bare: string | undefined) => {
    if (m === '$$') return '$';
    const name = (braced ?? bare ?? '').replace(/[:?-].*$/, '');
    unknown.push({ kind: 'variable', of: 'compose', name });
    return m;
  });
  const out: Token = { ...tok, value };
  if (unknown.length) out.dynamic = uniqueReasons(unknown);
  return out;
}

export const composeSource = {
  ...head('compose'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const { docs } = parseYaml(file, ctx, 'compose');
    const kind = ctx.contextFor(file.path, 'deployment');
    for (const doc of docs) {
      const r = new YReader(file, doc);
      for (const svc of r.pairs(r.get(doc.contents, 'services'))) {
        const s = svc.value;
        if (!s || !r.isMap(s)) continue;
        const name = svc.key;
        // working folder: the build context when the service is built from this repository
        const build = r.get(s, 'build');
        const buildDir = r.str(build) ?? r.str(r.get(build, 'context'));
        const cwd = buildDir && !/^[a-z]+:\/\//i.test(buildDir) && !buildDir.startsWith('/') ? joinPath(dirOf(file.path), buildDir) : dirOf(file.path);

        const container: ContainerContext = { platform: 'compose' };
        if (buildDir && !/^[a-z]+:\/\//i.test(buildDir) && !buildDir.startsWith('/')) {
          const dockerfile = r.str(r.get(build, 'dockerfile')) ?? 'Dockerfile';
          container.dockerfile = joinPath(cwd, dockerfile);
        }
        const user = r.entry(s, 'user');
        if (user) {
          const v = r.str(user.value) ?? '';
          container.user = { value: v, span: r.pairSpan(user), text: `user: ${v}` };
        }
        const settings: ContainerSetting[] = [];
        const priv = r.entry(s, 'privileged');
        if (priv && r.bool(priv.value) === true) settings.push({ fact: 'privileged', span: r.pairSpan(priv), text: 'privileged: true' });
        for (const cap of r.items(r.get(s, 'cap_add'))) {
          const name = r.str(cap);
          if (name) settings.push({ fact: 'capability', name, span: r.span(cap), text: name });
        }
        for (const opt of r.items(r.get(s, 'security_opt'))) {
          const text = r.str(opt) ?? '';
          const v = text.replace(/\s/g, '').toLowerCase();
          if (v === 'seccomp:unconfined' || v === 'seccomp=unconfined') settings.push({ fact: 'unconfined', profile: 'seccomp', span: r.span(opt), text });
          if (v === 'apparmor:unconfined' || v === 'apparmor=unconfined') settings.push({ fact: 'unconfined', profile: 'apparmor', span: r.span(opt), text });
          if (v === 'no-new-privileges:false' || v === 'no-new-privileges=false') settings.push({ fact: 'privilege-escalation', span: r.span(opt), text });
        }
        const NAMESPACE = { network_mode: 'network', pid: 'pid', ipc: 'ipc' } as const;
        for (const key of ['network_mode', 'pid', 'ipc'] as const) {
          const e = r.entry(s, key);
          if (e && r.str(e.value) === 'host') settings.push({ fact: 'host-namespace', namespace: NAMESPACE[key], span: r.pairSpan(e), text: `${key}: host` });
        }
        for (const v of r.items(r.get(s, 'volumes'))) {
          let source: string | undefined;
          const short = r.str(v);
          if (short !== undefined) source = short.split(':')[0];
          else if (r.str(r.get(v, 'type')) === 'bind' || r.get(v, 'source')) source = r.str(r.get(v, 'source'));
          if (!source) continue;
          // a named volume (`data:/var/lib/x`) is not a host path
          if (!/^[./~]/.test(source)) continue;
          const path = source.replace(/\/+$/, '') || '/';
          settings.push({ fact: 'host-mount', path, span: r.span(v), text: short ?? source });
        }
        if (settings.length) container.settings = settings;
        const workdir = r.str(r.get(s, 'working_dir'));
        if (workdir) container.workdir = workdir;

        const imageTok = r.token(r.get(s, 'image'));
        const pin = imageTok ? addPin(ctx, imagePin(imageTok.value, imageTok.span, 'compose', kind)) : undefined;
        const context: InvocationContext = { kind, cwd, container };
        if (pin) context.runtimeVersion = { value: pin.text, span: pin.span };

        const cmdEntry = r.entry(s, 'command');
        const epEntry = r.entry(s, 'entrypoint');
        const originSpan = epEntry ? r.pairSpan(epEntry) : cmdEntry ? r.pairSpan(cmdEntry) : r.span(svc.keyNode);
        const origin: Origin = { file: file.path, span: originSpan, source: 'compose', name };

        const env: EnvSetting[] = [];
        const envNode = r.get(s, 'environment');
        if (r.isSeq(envNode)) {
          for (const item of r.items(envNode)) {
            const t = r.text(item);
            if (!t) continue;
            const eq = t.text.indexOf('=');
            if (eq <= 0) continue; // `- NAME` passes the host's value through: unknown, and not set here
            const value = interpolate({ value: t.text.slice(eq + 1), span: t.span(eq + 1, t.text.length) });
            env.push({ name: t.text.slice(0, eq), value, span: t.span(0, t.text.length), origin, context });
          }
        } else {
          for (const e of r.pairs(envNode)) {
            const tok = e.value ? r.token(e.value) : undefined;
            if (!tok) continue;
            env.push({ name: e.key, value: interpolate(tok), span: r.pairSpan(e), origin, context });
          }
        }
        ctx.model.env.push(...env);

        const words = (n: YNode | undefined): Token[] | undefined => {
          if (!n) return undefined;
          if (r.isSeq(n)) return r.items(n).map((it) => r.token(it)).filter((t): t is Token => !!t).map(interpolate);
          const t = r.text(n);
          if (!t) return undefined;
          // the string form is split into words the way a shell would, but no shell runs it
          return splitEnvString(t).map(interpolate);
        };
        const run: ContainerRun = { origin, context, id: `${file.path}#service:${name}`, env, argsName: 'command' };
        const entrypoint = words(epEntry?.value);
        const command = words(cmdEntry?.value);
        if (entrypoint && entrypoint.length) run.command = entrypoint;
        if (command) run.args = command;
        if (cmdEntry) run.argsSpan = r.pairSpan(cmdEntry);
        if (imageTok) run.image = imageTok;
        runContainer(run, ctx);
      }
    }
  },
};
