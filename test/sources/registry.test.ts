import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover } from '../../src/discover.js';
import { SOURCES, commentStyleOf, isSourceKind, kindByContent, kindByName, kindOfEntry, loadSource, nameGates } from '../../src/sources/registry.js';
import { commentDirectives } from '../../src/suppress.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-reg-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

describe('source registry', () => {
  it('every kind states its context and comment syntax once, is registered once, and loads a module built on exactly that head', async () => {
    const kinds = SOURCES.map((s) => s.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    const modules = new Set<unknown>();
    for (const s of SOURCES) {
      expect(['deployment', 'ci', 'development', 'test'], s.kind).toContain(s.context);
      expect(['hash', 'slash', 'both', 'none'], s.kind).toContain(s.comments);
      expect(s.matchName || s.sniff, `${s.kind} is discoverable`).toBeTruthy();
      expect(isSourceKind(s.kind)).toBe(true);
      // the module's name matching, sniff, context and comments are the registry's own (the same functions)
      const m = await loadSource(s.kind);
      expect(m, s.kind).toBeDefined();
      expect(typeof m!.parse, s.kind).toBe('function');
      for (const k of ['kind', 'context', 'comments', 'matchName', 'sniff'] as const) expect(m![k], `${s.kind} ${k}`).toBe(s[k]);
      modules.add(m);
    }
    expect(modules.size).toBe(SOURCES.length);
    expect(await loadSource('no-such-kind')).toBeUndefined();
    expect(isSourceKind('yaml')).toBe(false);
  });

  it('classifies container file names (Dockerfile.*, *.Dockerfile, Dockerfile-*, Dockerfile_*, Containerfile*)', () => {
    for (const p of ['Dockerfile', 'ci/Dockerfile-deno', 'Dockerfile_prod', 'Dockerfile.dev', 'app.Dockerfile', 'x/api.dockerfile', 'Containerfile', 'Containerfile.alpine', 'dockerfile']) {
      expect(kindByName(p), p).toBe('dockerfile');
    }
    for (const p of ['Dockerfiles/readme.md', 'MyDockerfile', 'dockerfile.md.txt']) expect(kindByName(p) === 'dockerfile' && p !== 'dockerfile.md.txt', p).toBe(false);
  });

  it('specific YAML kinds win over the generic Kubernetes candidate', () => {
    expect(kindByName('docker-compose.prod.yml')).toBe('compose');
    expect(kindByName('.github/workflows/ci.yml')).toBe('github-actions');
    expect(kindByName('k8s/deploy.yaml')).toBe('kubernetes');
  });

  it('sniffs an explicitly named file of any name by content; a folder walk does not read unknown names', () => {
    expect(kindByContent('# syntax=docker/dockerfile:1\nARG V=2\nFROM denoland/deno:${V}\n', 'build/deno.img', true)).toBe('dockerfile');
    expect(kindByContent('FROM denoland/deno\n', 'build/deno.img', false)).toBeUndefined();
    expect(kindByContent('from the start, this is prose\n', 'notes', true)).toBeUndefined();
    const dir = tree({ 'build/deno.img': 'FROM denoland/deno:2.0.0\nCMD ["deno", "run", "-A", "main.ts"]\n', 'notes.txt': 'From here on, read the notes.\n' });
    expect(discover(['.'], {}, dir).files.map((f) => f.path)).toEqual([]);
    expect(discover(['build/deno.img'], {}, dir).files.map((f) => `${f.path} ${f.kind}`)).toEqual(['build/deno.img dockerfile']);
    expect(discover(['notes.txt'], {}, dir).files).toEqual([]);
  });

  it('a content sniff names files by their extension as written (and whether they have one): what the registry asks once per extension', async () => {
    const { mightSniff } = await import('../../src/sources/registry.js');
    const bases = ['run', 'api', 'x.ts', 'y.ts', 'x.TS', 'a.b.ts', 'x.js', 'x.mjs', 'x.d.ts', 'api.initd', 'svc.openrc', 'x.init', 'x.json', 'y.json', 'x.yaml', '.env', '.bashrc', 'x.', 'y.', 'x.sh', 'Dockerfile', 'x.conf', 'x.tsx', 'x.cjs'];
    const extOf = (b: string) => (b.includes('.') ? b.slice(b.lastIndexOf('.') + 1) : '/');
    for (const s of SOURCES) {
      if (!s.sniff) continue;
      // the contract: two names with the same extension get the same answer
      for (const a of bases) for (const b of bases) if (extOf(a) === extOf(b)) expect([s.kind, a, b, s.sniff.names(a)]).toEqual([s.kind, a, b, s.sniff.names(b)]);
    }
    // the memoised answers are the sniffers' own, in their order (a shebang .ts is a shebang script, an extension-less openrc script is openrc)
    for (const b of bases) {
      const naming = SOURCES.filter((s) => s.sniff?.names(b));
      expect([b, mightSniff(b)]).toEqual([b, naming.length > 0]);
      for (const head of ['', '#!/bin/sh\n', '#!/sbin/openrc-run\n', '[program:x]\n', 'FROM deno\n']) {
        const want = naming.find((s) => s.sniff!.content(head, `d/${b}`))?.kind;
        expect([b, head, kindByContent(head, `d/${b}`, false)]).toEqual([b, head, want]);
      }
    }
    expect(kindByContent('#!/bin/sh\n', 'd/x.ts', false)).toBe('shebang');
    expect(kindByContent('', 'd/x.ts', false)).toBe('typescript');
    expect(kindByContent('#!/sbin/openrc-run\n', 'd/api', false)).toBe('openrc');
  });

  it('the name index asks a matcher only of the names its gates admit, and answers as the matchers in order do', () => {
    // names every matcher takes, near misses, other cases, and first or last characters that
    // lowercase or match case-insensitively to ASCII (Kelvin sign, dotted and dotless i, long s)
    const stems = [
      'Dockerfile', 'dockerfile', 'DOCKERFILE', 'Dockerfile.dev', 'Dockerfile-deno', 'Dockerfile_x', 'app.Dockerfile', 'x.doc\u212Aerfile', 'Containerfile', 'containerfile.alpine', 'MyDockerfile',
      'Procfile', 'Procfile.web', 'Procfile.md', 'procfile', 'Jenkinsfile', 'Jenkinsfile.ci', 'build.jenkinsfile', 'x.JENKINSFILE', 'jenkinsfile', 'x.jen\u212Ainsfile',
      'Makefile', 'makefile', 'GNUmakefile', 'rules.mk', 'x.MK', 'x.m\u212A', 'justfile', 'Justfile', '.justfile', '.Justfile', 'x.just', 'run', 'Run', 'log',
      'deno.json', 'deno.jsonc', 'package.json', 'node.config.json', 'project.json', 'turbo.json', 'turbo.jsonc', 'railway.json', 'railway.toml', 'tasks.json', 'launch.json', 'debug.json',
      'devcontainer.json', '.devcontainer.json', 'ecosystem.config.js', 'ecosystem.json', 'ecosystem-prod.config.cjs', 'config.yml', 'config.yaml', 'action.yml', 'Action.YAML',
      'compose.yaml', 'docker-compose.prod.yml', 'Compose.yml', 'azure-pipelines.yml', '.drone.yml', '.woodpecker.yaml', 'ci.yml', 'x.yaml', 'serverless.yml', 'app.yaml', 'render.yaml',
      'Taskfile.yml', '.gitlab-ci.yml', 'bitbucket-pipelines.yml', 'fly.toml', 'fly.staging.toml', 'nixpacks.toml', 'netlify.toml', 'mise.toml', '.mise.toml', 'MISE.TOML', '.nvmrc', '.node-version',
      '.dvmrc', '.tool-versions', 'api.service', 'x.SERVICE', 'x.sh', 'x.BASH', 'supervisord.conf', 'x.conf', 'x.ini', 'mod.ts', 'main.out', 'x.js', '.env', 'README', 'LICENSE', '',
      '\u0130dockerfile', '\u0131.yml', '\u017Fervice', '\u212A.json', '\u00e9cosystem.json', 'd', 'P', 'J', 'e.json',
    ];
    const dirs = ['', 'a', '.github/workflows', '.circleci', 'service/web', 'sv/api/log', 'templates', 'chart/templates/x', '.vscode', '.zed', '.devcontainer', '.devcontainer/py', '.azure-pipelines', '.woodpecker', 'supervisor.d', 'conf.d', 'Dockerfile'];
    let checked = 0;
    for (const base of stems) {
      for (const dir of dirs) {
        const path = dir ? `${dir}/${base}` : base;
        const want = SOURCES.find((s) => s.matchName?.(path, base))?.kind;
        expect([path, kindByName(path)]).toEqual([path, want]);
        expect([path, kindByName(path, base)]).toEqual([path, want]);
        expect([path, kindOfEntry(dir, base)]).toEqual([path, want]);
        // every matcher that holds for a name is one its gates admit (ext as the index reads it: lowercased, after the last dot)
        const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).toLowerCase() : '';
        for (const s of SOURCES) {
          if (!s.matchName?.(path, base)) continue;
          checked++;
          const gates = nameGates(s.matchName);
          const admitted = gates === undefined || gates.some((g) => (g.exts === undefined || g.exts.includes(ext)) && (g.starts === undefined || g.starts.includes(base.charAt(0))));
          expect([s.kind, path, admitted]).toEqual([s.kind, path, true]);
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
    // every kind named by a name is among the generated ones
    const named = new Set(stems.flatMap((b) => dirs.map((d) => kindByName(d ? `${d}/${b}` : b))));
    for (const s of SOURCES) if (s.matchName) expect([s.kind, named.has(s.kind)]).toEqual([s.kind, true]);
  });

  it('suppressions read each kind\'s comment syntax from the registry', () => {
    expect(commentStyleOf('deno.json')).toBe('slash');
    expect(commentStyleOf('package.json')).toBe('none');
    expect(commentStyleOf('dockerfile')).toBe('hash');
    expect(commentStyleOf(undefined)).toBe('none');
    const text = 'FROM x\n# permlint-ignore allow-all -- a build image\nRUN deno run -A a.ts\n';
    expect(commentDirectives('Dockerfile', text, 'dockerfile')).toMatchObject([{ ids: ['allow-all'], lines: { from: 3, to: 3 } }]);
    expect(commentDirectives('package.json', '{"a": "# permlint-ignore allow-all -- x"}', 'package.json')).toEqual([]);
  });
});
