/**
 * What container and service settings mean for the privileges of the process inside — as data,
 * one list for every source (Kubernetes, compose, Dockerfile-based CI job containers, systemd
 * units), so that they cannot disagree about which added capability is dangerous.
 */

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
