/**
 * The walk against a reference walk that takes none of its shortcuts: every entry's whole path asked
 * of every ignore rule loaded so far (`IgnoreSet.ignoresEntry`, no per-folder views), and every name
 * asked of the registry's matchers in order (no name index, no gates). Generated trees on disk with
 * nested `.gitignore` files (negations, anchored and `**` patterns, folder-only rules) and names the
 * name index treats apart (other cases, dotfiles, characters that lowercase to ASCII).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover } from '../../src/discover.js';
import { nodeFs } from '../../src/fs.js';
import { IgnoreSet, parseIgnore } from '../../src/glob.js';
import { linkOnlyDiscover } from '../../src/lint.js';
import { SOURCES } from '../../src/sources/registry.js';
import { randomFolders, rng } from '../helpers.js';


const FOLDERS = ['a', 'b', 'src', 'tests', 'out', 'templates', '.github', 'workflows', '.devcontainer', 'service', 'web', 'Docker', 'ci', '.vscode', 'x.yml', 'deep', 'node_modules', 'K\u212Aelvin'];
const FILES = [
  'Dockerfile', 'dockerfile.dev', 'app.Dockerfile', 'Containerfile', 'x.doc\u212Aerfile', 'Procfile', 'Procfile.md', 'Jenkinsfile', 'build.jenkinsfile', 'Makefile', 'rules.mk', 'justfile', 'run',
  'deno.json', 'deno.jsonc', 'package.json', 'turbo.json', 'project.json', 'tasks.json', 'devcontainer.json', 'ecosystem.config.js', 'compose.yaml', 'docker-compose.yml', 'ci.yml', 'config.yml',
  'action.yaml', 'fly.toml', 'mise.toml', '.nvmrc', '.tool-versions', 'api.service', 'x.sh', 'supervisord.conf', 'README.md', 'notes.txt', 'main.rs', 'data.json', 'Cargo.toml', '.env', 'x.orig', 'junit.xml',
];
const RULES = ['*.orig', '!keep.orig', '/out/', 'tests/', 'deep', '!deep', '/a/b', '**/ci.yml', 'x.yml/', '*.md', '!README.md', 'Docker/**', 'web/*.json', '/src/*', '!/src/Dockerfile', '**/.vscode/tasks.json', 'ser*', 'K*/'];

/** The kind the registry's matchers give a name, first in order (no index). */
const plainKind = (path: string) => SOURCES.find((s) => s.matchName?.(path, path.slice(path.lastIndexOf('/') + 1)))?.kind;

/** Every file a walk without shortcuts keeps (path → kind by name): whole paths asked of every rule, folders pruned, node_modules never entered. */
function referenceWalk(root: string): Map<string, string> {
  const rules = new IgnoreSet();
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    const abs = rel ? join(root, rel) : root;
    const entries = readdirSync(abs, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) rules.add(parseIgnore(readFileSync(join(abs, '.gitignore'), 'utf8'), rel));
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.name === '.gitignore') continue;
      if (e.isDirectory()) {
        if (!['node_modules', '.git', 'vendor', '.deno', 'dist', 'coverage'].includes(e.name) && !rules.ignoresEntry(path, true)) walk(path);
      } else if (e.isFile() && !rules.ignoresEntry(path, false)) {
        const kind = plainKind(path);
        if (kind) out.set(path, kind);
      }
    }
  };
  walk('');
  return out;
}

describe('the walk against a walk without shortcuts', () => {
  it('finds the same files, by the same kinds, on 40 generated trees; the link-only walk keeps those that can link', () => {
    const r = rng(41);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    let found = 0;
    let linked = 0;
    for (let k = 0; k < 40; k++) {
      const root = mkdtempSync(join(tmpdir(), 'permlint-walkref-'));
      try {
        const folders = randomFolders(r, root, FOLDERS, 14, 4);
        for (const f of folders) {
          for (let i = 0; i < 5; i++) writeFileSync(join(root, f, pick(FILES)), 'x: 1\n');
          if (r() < 0.35) writeFileSync(join(root, f, '.gitignore'), Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(RULES)).join('\n'));
        }
        const want = referenceWalk(root);
        const got = discover(['.'], {}, root).files;
        expect([k, got.map((f) => [f.path, f.kind])]).toEqual([k, [...want].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))]);
        found += got.length;
        // the link-only walk: what can link (not TypeScript), manifests only on the way to a named file
        const named = got.filter((_, i) => i % 5 === 0).map((f) => f.path);
        const onTheWay = new Set(['', ...named.flatMap((p) => p.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/')))]);
        const folderOf = (p: string) => p.slice(0, Math.max(p.lastIndexOf('/'), 0));
        const wantLinked = [...want].filter(([p, kind]) => !['deno.json', 'package.json'].includes(kind) || onTheWay.has(folderOf(p))).map(([p]) => p);
        const gotLinked = linkOnlyDiscover(nodeFs, root, named, { ignore: [] }, undefined).map((f) => f.path);
        expect([k, gotLinked]).toEqual([k, wantLinked.sort()]);
        linked += gotLinked.length;
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
    expect(found).toBeGreaterThan(400);
    expect(linked).toBeGreaterThan(300);
  });
});
