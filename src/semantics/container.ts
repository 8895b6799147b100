/**
 * What container and service settings mean for the privileges of the process inside — the one
 * classifier for every source (Dockerfile, Kubernetes, compose, GitHub Actions job containers,
 * systemd and supervisord units). Sources record the settings as written
 * (`ContainerContext.user`, `.imageDefaultUser`, `.settings`); this module decides which of
 * them make the container a weak second line of defence; the container rules word it.
 */
import type { ContainerContext, ContainerSetting, ContainerUser, DockerImageFacts, Span } from '../model.js';
import { placeCovers, type Place } from '../grammar/query.js';

/**
 * Linux capabilities that give a process root-equivalent power over the host or other processes
 * (mount, load kernel modules, trace any process, reconfigure the network, read any file).
 * `ALL` adds every capability.
 */
export const DANGEROUS_CAPABILITIES: readonly string[] = [
  'ALL',
  'SYS_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'NET_ADMIN',
  'DAC_READ_SEARCH',
  'DAC_OVERRIDE',
  'BPF',
  'PERFMON',
];

/**
 * Host folders whose mount hands the container the host: its configuration, processes, devices,
 * users' homes, the container runtime's state. A mount of one of them or of a folder above one
 * (`/`, `/var`) counts.
 */
export const SENSITIVE_HOST_PATHS: readonly string[] = ['/etc', '/proc', '/sys', '/root', '/home', '/var/run', '/run', '/var/lib/docker', '/dev', '/boot', '/lib/modules'];

/** `CAP_SYS_ADMIN`, `sys_admin`, `SYS_ADMIN` → `SYS_ADMIN`. */
export function capabilityName(written: string): string {
  return written.trim().toUpperCase().replace(/^CAP_/, '');
}

/** Whether adding this capability (as written in any source) makes the container privileged. */
export function isDangerousCapability(written: string): boolean {
  return DANGEROUS_CAPABILITIES.includes(capabilityName(written));
}

/** Whether a mounted host path is the Docker (or containerd/podman) socket: root on the host. */
export function isContainerSocket(hostPath: string): boolean {
  return /(^|\/)(docker|containerd|podman)\.sock$/.test(hostPath.replace(/\/+$/, ''));
}

function absPlace(path: string): Place | undefined {
  if (!path.startsWith('/')) return undefined;
  return { root: 'abs', segments: path.split('/').filter((s) => s !== '' && s !== '.') };
}

/** Whether mounting this host path gives the container a sensitive part of the host (the engine decides "is it that folder or one above it"). */
export function isSensitiveHostMount(hostPath: string): boolean {
  const mount = absPlace(hostPath);
  if (!mount) return false; // a relative bind (`./src:/app`) is the project, not the host
  return SENSITIVE_HOST_PATHS.some((p) => placeCovers('deno', mount, absPlace(p)!));
}

/** Whether a user setting names root (`root`, `0`, `root:root`, `0:0`). */
export function isRootUser(value: string): boolean {
  const who = value.trim().split(':')[0];
  return who === 'root' || who === '0';
}

/** Why a container runs as root. */
export type RootCause =
  /** The user setting names root. */
  | { cause: 'root-user'; user: ContainerUser; span: Span }
  /** No user is set and the image's default user, root, runs (a Dockerfile final stage without `USER`). */
  | { cause: 'image-default'; file: string; span: Span }
  /** `runAsNonRoot: false` and no user: nothing stops the image's root user. */
  | { cause: 'root-allowed'; setting: ContainerSetting; span: Span };

/** A setting that lets the process reach past the container (the host, other processes, the kernel). */
export interface Privilege {
  setting: ContainerSetting;
  /** What it gives: every capability, a dangerous capability, the container runtime's socket, a sensitive host folder, a host namespace, no system-call or MAC filtering, escalation. */
  gives: 'every-capability' | 'capability' | 'runtime-socket' | 'host-folder' | 'host-namespace' | 'unconfined' | 'escalation';
  span: Span;
}

export interface ContainerClass {
  root?: RootCause;
  privileges: Privilege[];
}

/** One setting's meaning, or undefined when it does not weaken the container. */
export function classifySetting(s: ContainerSetting): Privilege | undefined {
  switch (s.fact) {
    case 'privileged':
      return { setting: s, gives: 'every-capability', span: s.span };
    case 'privilege-escalation':
      return { setting: s, gives: 'escalation', span: s.span };
    case 'capability':
      return isDangerousCapability(s.name) ? { setting: s, gives: 'capability', span: s.span } : undefined;
    case 'host-mount':
      if (isContainerSocket(s.path)) return { setting: s, gives: 'runtime-socket', span: s.span };
      return isSensitiveHostMount(s.path) ? { setting: s, gives: 'host-folder', span: s.span } : undefined;
    case 'host-namespace':
      return { setting: s, gives: 'host-namespace', span: s.span };
    case 'unconfined':
      return { setting: s, gives: 'unconfined', span: s.span };
    case 'run-as-non-root':
      return undefined;
  }
}

/** Who runs: a root cause, when the process inside runs (or may run) as root. */
export function rootCause(c: ContainerContext): RootCause | undefined {
  if (c.user) return isRootUser(c.user.value) ? { cause: 'root-user', user: c.user, span: c.user.span } : undefined;
  const allowed = c.settings?.find((s) => s.fact === 'run-as-non-root' && !s.value);
  if (allowed) return { cause: 'root-allowed', setting: allowed, span: allowed.span };
  if (c.imageDefaultUser) return { cause: 'image-default', file: c.imageDefaultUser.file, span: c.imageDefaultUser.span };
  return undefined;
}

/** What the container's settings mean: whether it runs as root and what reaches past it. */
export function classifyContainer(c: ContainerContext): ContainerClass {
  const root = rootCause(c);
  const privileges = (c.settings ?? []).map(classifySetting).filter((p): p is Privilege => !!p);
  return root ? { root, privileges } : { privileges };
}

/** Whether the container is weaker than a plain unprivileged one (runs as root, or has a privilege). */
export function weakensContainer(c: ContainerContext | undefined): boolean {
  if (!c) return false;
  const k = classifyContainer(c);
  return !!k.root || k.privileges.length > 0;
}

/** Whether the container says who runs in it (a user, a root cause or a privilege): what a followed target inherits. */
export function saysWhoRuns(c: ContainerContext | undefined): boolean {
  return !!c && (!!c.user || !!c.imageDefaultUser || (c.settings?.length ?? 0) > 0);
}

/** The user a repository image's final stage runs as, for a container built from it that sets no user. */
export function imageUser(image: DockerImageFacts): Pick<ContainerContext, 'user' | 'imageDefaultUser'> {
  return image.user ? { user: image.user } : { imageDefaultUser: { span: image.from, file: image.file } };
}
