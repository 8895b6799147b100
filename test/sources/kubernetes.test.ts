import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brief, lintDir, lintFixture } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'permlint-k8s-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Kubernetes source', () => {
  it('reads Deployments, CronJobs and Lists of a multi-document file with exact positions', async () => {
    const { findings } = await lintFixture('deploy-kubernetes');
    const b = brief(findings);
    // args on a denoland/deno image run `deno …`; pod runAsUser: 0 merges into the container
    expect(b).toContain('unscoped-grant k8s/app.yaml:21:15 error');
    expect(b).toContain('container-privileges k8s/app.yaml:21:15 warning');
    // env value reaches model.env
    expect(b).toContain('insecure-tls k8s/app.yaml:27:21 error');
    // CronJob jobTemplate, $(ENTRY) expanded from the literal env, hostPID
    expect(b).toContain('container-privileges k8s/app.yaml:47:26 warning');
    expect(b.some((x) => x.startsWith('unresolved-value k8s/app.yaml:47:'))).toBe(false);
    // kind: List, a hostPath docker socket mounted by the container, a command given by an alias
    expect(b).toContain('container-privileges k8s/app.yaml:67:15 warning');
    // args alone with an image whose entrypoint is unknown
    expect(b).toContain('unresolved-value k8s/app.yaml:78:11 note');
  });

  it('follows aliases and merges nothing it should not', async () => {
    const { model } = await lintFixture('deploy-kubernetes');
    const tool2 = model.invocations.find((i) => i.id.endsWith('Pod/tool/containers/tool2'))!;
    expect(tool2.argv.map((a) => a.value)).toEqual(['run', '--allow-run', 'tool.ts', '--flag']);
    expect((tool2.context.container?.settings ?? []).filter((x) => x.fact === 'host-mount')).toEqual([]); // tool2 does not mount the socket
    const api = model.invocations.find((i) => i.id.endsWith('Deployment/api/containers/api'))!;
    const opts = model.env.find((e) => e.name === 'NODE_OPTIONS' && e.origin.name === 'Deployment/api/api')!;
    expect(opts.value.value).toBe('--permission');
    expect(api.context.runtimeVersion?.value).toBe('denoland/deno:2.8.1');
  });

  it('handles a UTF-8 BOM and CRLF line ends', async () => {
    const { findings, model } = await lintFixture('deploy-kubernetes');
    expect(brief(findings)).toContain('allow-all k8s/crlf.yaml:13:11 error');
    const inv = model.invocations.find((i) => i.origin.file === 'k8s/crlf.yaml')!;
    expect(inv.command.span).toMatchObject({ line: 10, column: 11, endLine: 10, endColumn: 15 });
    expect(inv.context.container?.workdir).toBe('/app');
  });

  it('skips Helm templates with a note and reports broken YAML as a parse error', async () => {
    const { findings } = await lintFixture('deploy-kubernetes');
    const b = brief(findings);
    expect(b).toContain('unresolved-value chart/templates/deployment.yaml:4:9 note');
    expect(b.filter((x) => x.includes('chart/templates') && !x.startsWith('unresolved-value'))).toEqual([]);
    expect(b).toContain('parse-error k8s/broken.yaml:5:1 error');
    // YAML that is not a manifest is not read as one
    expect(b.filter((x) => x.includes('not-k8s.yaml'))).toEqual([]);
  });

  it('reads a manifest of 5,000 documents quickly', async () => {
    const dir = join(tmp, 'big');
    const docs: string[] = [];
    for (let i = 0; i < 5000; i++) {
      docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      image: denoland/deno:2.8.1\n      command: ["deno", "run", "--frozen", "--allow-net=api.example.com", "m${i}.ts"]\n`);
    }
    docs.push('apiVersion: v1\nkind: Pod\nmetadata:\n  name: last\nspec:\n  containers:\n    - name: c\n      image: denoland/deno:2.8.1\n      command: ["deno", "run", "--frozen", "-A", "last.ts"]\n');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'many.yaml'), docs.join('---\n'));
    const t0 = performance.now();
    const { findings, model } = await lintDir(dir);
    const ms = performance.now() - t0;
    expect(model.invocations.length).toBe(5001);
    expect(brief(findings)).toEqual([`allow-all many.yaml:${5000 * 10 + 9}:45 error`]);
    // linear: a few seconds on a loaded CI machine (the YAML parser reads ~1 MB here)
    expect(ms).toBeLessThan(30000);
  }, 60000);

  it('refuses a YAML alias bomb with a parse error, without hanging', async () => {
    const dir = join(tmp, 'bomb');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: bomb', 'spec:', '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) lines.push(`  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
    lines.push('  containers:', '    - name: c', '      image: busybox', '      command: ["deno", "run", "-A", "x.ts"]');
    writeFileSync(join(dir, 'bomb.yaml'), `${lines.join('\n')}\n`);
    const t0 = performance.now();
    const { findings } = await lintDir(dir);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(brief(findings)).toEqual(['parse-error bomb.yaml:7:12 error']);
    expect(findings[0]!.message).toMatch(/alias bomb/);
  }, 20000);
});
