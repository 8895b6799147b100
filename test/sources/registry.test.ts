import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover } from '../../src/discover.js';
import { SOURCES, commentStyleOf, isSourceKind, kindByContent, kindByName, loadSource } from '../../src/sources/registry.js';
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
