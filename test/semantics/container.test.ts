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

describe('one classifier over the facts sources record', () => {
  const span = (line: number) => ({ file: 'x', line, column: 1, endLine: line, endColumn: 2 });
  it('root: a root user, `runAsNonRoot: false` with no user, or an image default; a named user clears it', async () => {
    const { classifyContainer, isRootUser } = await import('../../src/semantics/container.js');
    for (const u of ['root', '0', 'root:root', '0:0', ' 0']) expect(isRootUser(u), u).toBe(true);
    for (const u of ['app', '1000', '1000:0', 'rooty']) expect(isRootUser(u), u).toBe(false);
    expect(classifyContainer({ user: { value: '0', span: span(1), text: 'runAsUser: 0' } }).root?.cause).toBe('root-user');
    expect(classifyContainer({ settings: [{ fact: 'run-as-non-root', value: false, span: span(2), text: 'runAsNonRoot: false' }] }).root?.cause).toBe('root-allowed');
    expect(classifyContainer({ user: { value: '1000', span: span(1), text: 'runAsUser: 1000' }, settings: [{ fact: 'run-as-non-root', value: false, span: span(2), text: 'runAsNonRoot: false' }] }).root).toBeUndefined();
    expect(classifyContainer({ imageDefaultUser: { file: 'Dockerfile', span: span(1) } }).root).toMatchObject({ cause: 'image-default', file: 'Dockerfile' });
    expect(classifyContainer({ user: { value: 'app', span: span(3), text: 'USER app' }, imageDefaultUser: { file: 'Dockerfile', span: span(1) } }).root).toBeUndefined();
  });

  it('privileges: dangerous capabilities, runtime sockets and sensitive host folders (or a folder above one); not a project bind or a harmless capability', async () => {
    const { classifySetting } = await import('../../src/semantics/container.js');
    const gives = (s: Parameters<typeof classifySetting>[0]) => classifySetting(s)?.gives;
    expect(gives({ fact: 'capability', name: 'CAP_SYS_ADMIN', span: span(1), text: 'x' })).toBe('capability');
    expect(gives({ fact: 'capability', name: 'NET_BIND_SERVICE', span: span(1), text: 'x' })).toBeUndefined();
    expect(gives({ fact: 'host-mount', path: '/var/run/docker.sock', span: span(1), text: 'x' })).toBe('runtime-socket');
    for (const p of ['/', '/etc', '/var', '/proc', '/home', '/var/lib/docker', '/root']) expect(gives({ fact: 'host-mount', path: p, span: span(1), text: 'x' }), p).toBe('host-folder');
    for (const p of ['./src', '/data', '/srv/app', '/home2', '.']) expect(gives({ fact: 'host-mount', path: p, span: span(1), text: 'x' }), p).toBeUndefined();
    expect(gives({ fact: 'privileged', span: span(1), text: 'x' })).toBe('every-capability');
    expect(gives({ fact: 'host-namespace', namespace: 'pid', span: span(1), text: 'x' })).toBe('host-namespace');
    expect(gives({ fact: 'unconfined', profile: 'apparmor', span: span(1), text: 'x' })).toBe('unconfined');
    expect(gives({ fact: 'run-as-non-root', value: true, span: span(1), text: 'x' })).toBeUndefined();
  });

  it('sources record settings as written, whatever they mean', async () => {
    const { lint } = await import('../../src/lint.js');
    const { memoryFs } = await import('../../src/fs.js');
    const { model } = await lint(
      memoryFs({
        'compose.yaml': 'services:\n  app:\n    image: denoland/deno:2.9.6\n    user: "0:0"\n    cap_add: [NET_BIND_SERVICE, SYS_ADMIN]\n    pid: host\n    security_opt: ["apparmor:unconfined"]\n    volumes: ["./src:/app", "data:/data", "/var/run/docker.sock:/var/run/docker.sock"]\n    command: deno run main.ts\n',
        'k8s.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  hostNetwork: true\n  securityContext: { runAsNonRoot: false }\n  volumes: [{ name: h, hostPath: { path: /data } }]\n  containers:\n    - name: c\n      image: node:22\n      command: [node, main.js]\n      securityContext: { privileged: true, capabilities: { add: [CHOWN] } }\n      volumeMounts: [{ name: h, mountPath: /d }]\n',
      }),
    );
    const facts = (file: string) => {
      const c = model.invocations.find((i) => i.origin.file === file)!.context.container!;
      return { platform: c.platform, user: c.user?.text, settings: c.settings?.map((s) => `${s.fact}:${s.text}`) };
    };
    expect(facts('compose.yaml')).toEqual({
      platform: 'compose',
      user: 'user: 0:0',
      settings: ['capability:NET_BIND_SERVICE', 'capability:SYS_ADMIN', 'unconfined:apparmor:unconfined', 'host-namespace:pid: host', 'host-mount:./src:/app', 'host-mount:/var/run/docker.sock:/var/run/docker.sock'],
    });
    expect(facts('k8s.yaml')).toEqual({
      platform: 'kubernetes',
      user: undefined,
      settings: ['run-as-non-root:runAsNonRoot: false', 'privileged:privileged: true', 'capability:CHOWN', 'host-namespace:hostNetwork: true', 'host-mount:hostPath: /data'],
    });
  });
});

describe('sources emit facts only', () => {
  it('no source decides what a container setting means or words it', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = join(__dirname, '../../src/sources');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/semantics\/container|DANGEROUS_CAPABILITIES|SENSITIVE_HOST_PATHS|isDangerousCapability|isContainerSocket|SYS_ADMIN|docker\.sock/);
      expect(text, f).not.toMatch(/runs (the|a) (container|service|program|job container) as root|every capability of the|turns off (system-call|AppArmor)|shares the (host|node)'s/);
    }
  });
});
