/**
 * Hosting platforms whose config files say what to build and start (deployment context unless
 * said otherwise), one source module each over a shared reader:
 *
 * - fly.toml: `[processes]` commands, `[experimental] cmd` / `entrypoint`, `[deploy] release_command`
 *   (Fly splits them into words; no shell);
 * - nixpacks.toml: `[start] cmd`, `[phases.<name>] cmds`;
 * - railway.toml / railway.json: `deploy.startCommand`, `deploy.preDeployCommand`, `build.buildCommand`;
 * - netlify.toml: `[build] command`, `[context.<name>] command` (a build: ci context), `[dev] command`
 *   (development);
 * - render.yaml: `startCommand`, `buildCommand`, `preDeployCommand`, `dockerCommand` of each service.
 *
 * Command strings go through the shell parser (the platforms run them with `sh -c`) except Fly's.
 */
import type { ContextKind, Token } from '../model.js';
import { splitEnvString } from '../shell/index.js';
import { MappedText } from '../text.js';
import { addArgv, addShellText } from './commands.js';
import { parseJsonc, props } from './deno-json.js';
import { readToml, tomlText, tomlWords, type TomlEntry } from './toml-util.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

type Kind = 'fly' | 'nixpacks' | 'railway' | 'netlify';

function runToml(file: SourceFile, ctx: ScanContext, source: Kind, e: TomlEntry, natural: ContextKind, shell: boolean): void {
  const name = e.path.join('.');
  const site = {
    origin: { file: file.path, span: file.index.span(e.range[0], e.range[1]), source, name },
    context: { kind: ctx.contextFor(file.path, natural), cwd: dirOf(file.path) },
    id: `${file.path}#${name}`,
  };
  const words = tomlWords(file, e.value);
  if (words) {
    if (words.length) addArgv(words, site, ctx);
    return;
  }
  const text = tomlText(file, e.value);
  if (!text) return;
  if (shell) addShellText(text, site, ctx);
  else addArgv(splitEnvString(text), site, ctx);
}

const is = (path: string[], ...want: (string | RegExp)[]) => path.length === want.length && want.every((w, i) => (typeof w === 'string' ? path[i] === w : w.test(path[i]!)));

export const flySource: Source = {
  ...head('fly'),
  async parse(file, ctx) {
    for (const e of (await readToml(file, ctx, 'fly')) ?? []) {
      if (is(e.path, 'processes', /./) || is(e.path, 'experimental', /^(cmd|entrypoint)$/) || is(e.path, 'deploy', 'release_command')) runToml(file, ctx, 'fly', e, 'deployment', false);
    }
  },
};

export const nixpacksSource: Source = {
  ...head('nixpacks'),
  async parse(file, ctx) {
    for (const e of (await readToml(file, ctx, 'nixpacks')) ?? []) {
      if (is(e.path, 'start', 'cmd')) runToml(file, ctx, 'nixpacks', e, 'deployment', true);
      else if (is(e.path, 'phases', /./, 'cmds')) {
        for (const [k, item] of ((e.value?.elements ?? []) as unknown[]).entries()) runToml(file, ctx, 'nixpacks', { ...e, path: [...e.path, String(k)], value: item }, 'deployment', true);
      }
    }
  },
};

const RAILWAY_KEYS = [
  ['deploy', 'startCommand'],
  ['deploy', 'preDeployCommand'],
  ['build', 'buildCommand'],
];

export const railwaySource: Source = {
  ...head('railway'),
  async parse(file, ctx) {
    const kind = ctx.contextFor(file.path, 'deployment');
    if (file.path.endsWith('.json')) {
      const { root, errors } = parseJsonc(file, true);
      for (const e of errors.slice(0, 1)) ctx.model.problems.push({ file: file.path, ...e, source: 'railway' });
      if (!root || errors.length) return;
      for (const [section, key] of RAILWAY_KEYS) {
        const entry = props(props(root).find(([n]) => n === section)?.[2]).find(([n]) => n === key);
        if (!entry || entry[2].type !== 'string') continue;
        const [, k, v] = entry;
        const text = MappedText.jsonString(file.index, v.offset, v.length);
        addShellText(text, { origin: { file: file.path, span: file.index.span(k.offset, v.offset + v.length), source: 'railway', name: `${section}.${key}` }, context: { kind, cwd: dirOf(file.path) }, id: `${file.path}#${section}.${key}` }, ctx);
      }
      return;
    }
    for (const e of (await readToml(file, ctx, 'railway')) ?? []) {
      if (RAILWAY_KEYS.some(([s, k]) => is(e.path, s!, k!))) runToml(file, ctx, 'railway', e, 'deployment', true);
    }
  },
};

export const netlifySource: Source = {
  ...head('netlify'),
  async parse(file, ctx) {
    for (const e of (await readToml(file, ctx, 'netlify')) ?? []) {
      if (is(e.path, 'build', 'command') || is(e.path, 'context', /./, 'command')) runToml(file, ctx, 'netlify', e, 'ci', true);
      else if (is(e.path, 'dev', 'command')) runToml(file, ctx, 'netlify', e, 'development', true);
    }
  },
};

const RENDER_KEYS = ['startCommand', 'buildCommand', 'preDeployCommand', 'dockerCommand'];

export const renderSource: Source = {
  ...head('render'),
  parse(file, ctx) {
    const doc = parseYaml(file, ctx, 'render').docs[0];
    if (!doc) return;
    const r = new YReader(file, doc);
    const kind = ctx.contextFor(file.path, 'deployment');
    const cwd = dirOf(file.path);
    const services = [...r.items(r.get(doc.contents as YNode, 'services')), ...r.items(r.get(doc.contents as YNode, 'jobs'))];
    services.forEach((svc, k) => {
      const name = r.str(r.get(svc, 'name')) ?? `service ${k + 1}`;
      const root = r.str(r.get(svc, 'rootDir'));
      for (const key of RENDER_KEYS) {
        const entry = r.entry(svc, key);
        const text = entry?.value ? r.text(entry.value) : undefined;
        if (!entry || !text) continue;
        const site = { origin: { file: file.path, span: r.pairSpan(entry), source: 'render' as const, name: `${name}.${key}` }, context: { kind, cwd: root ? `${cwd ? `${cwd}/` : ''}${root}`.replace(/\/+$/, '') : cwd }, id: `${file.path}#${name}.${key}` };
        if (key === 'dockerCommand') addArgv(splitEnvString(text) as Token[], site, ctx);
        else addShellText(text, site, ctx);
      }
    });
  },
};
