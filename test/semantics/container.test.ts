import { describe, expect, it } from 'vitest';
import { capabilityName, isContainerSocket, isDangerousCapability } from '../../src/semantics/container.js';

describe('container semantics', () => {
  it('one list of dangerous capabilities, whatever the spelling', () => {
    for (const c of ['SYS_ADMIN', 'CAP_SYS_ADMIN', 'sys_admin', 'ALL', 'CAP_NET_ADMIN', 'SYS_PTRACE', 'DAC_READ_SEARCH', 'SYS_MODULE']) expect(isDangerousCapability(c), c).toBe(true);
    for (const c of ['NET_BIND_SERVICE', 'CHOWN', 'CAP_KILL', 'SETUID_X', '']) expect(isDangerousCapability(c), c).toBe(false);
    expect(capabilityName(' cap_bpf ')).toBe('BPF');
  });

  it('container runtime sockets', () => {
    expect(isContainerSocket('/var/run/docker.sock')).toBe(true);
    expect(isContainerSocket('/run/containerd/containerd.sock')).toBe(true);
    expect(isContainerSocket('/var/run/docker.sock/')).toBe(true);
    expect(isContainerSocket('/var/run/docker.socket')).toBe(false);
    expect(isContainerSocket('/data')).toBe(false);
  });
});

describe('the sources share the list (they used to disagree)', () => {
  it('a CI job container with --cap-add SYS_PTRACE and a systemd unit with AmbientCapabilities=CAP_NET_ADMIN are privileged like compose cap_add', async () => {
    const { lint } = await import('../../src/lint.js');
    const { memoryFs } = await import('../../src/fs.js');
    const fs = memoryFs({
      '.github/workflows/ci.yml': `on: push
jobs:
  t:
    runs-on: ubuntu-latest
    container:
      image: denoland/deno:2.9.6
      options: --cap-add SYS_PTRACE
    steps:
      - run: deno run -A --frozen main.ts
`,
      'deploy/app.service': '[Service]\nUser=app\nAmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_ADMIN\nExecStart=/usr/bin/deno run -A --frozen /srv/main.ts\n',
      'deploy/quiet.service': '[Service]\nUser=app\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nExecStart=/usr/bin/deno run -A --frozen /srv/main.ts\n',
    });
    const { findings } = await lint(fs);
    const cp = findings.filter((f) => f.ruleId === 'container-privileges').map((f) => `${f.span.file}:${f.span.line}`);
    expect(cp).toEqual(['.github/workflows/ci.yml:9', 'deploy/app.service:4']);
  });
});
