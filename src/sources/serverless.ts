/**
 * Serverless Framework (`serverless.yml` / `serverless.yaml`, `serverless.<stage>.yml`): what can
 * carry a Deno or Node invocation, in the deployment context.
 *
 * - A function on a custom runtime (`runtime: provided*`, the function's or the provider's) with
 *   the deno-lambda layer (a layer whose name says `deno`): the layer's bootstrap runs
 *   `deno run $DENO_PERMISSIONS <handler file>`, `DENO_PERMISSIONS` from the function's or the
 *   provider's `environment` and `-A` when it is unset; the handler `dir/file.fn` names
 *   `dir/file.<HANDLER_EXT>` (`ts` by default). The synthesized words point at what implies them
 *   (the layer, the environment value, the handler).
 * - A function deployed as a container image with `image: { command, entryPoint }`: that argv.
 * - serverless-plugin-scripts `custom.scripts.hooks` / `custom.scripts.commands`: shell text run
 *   while packaging and deploying.
 *
 * `environment` values are recorded (NODE_OPTIONS reaches what runs). Serverless variables
 * (`${self:…}`, `${env:…}`, `${opt:…}`, `${ssm:…}`, …) are resolved at deploy time: unknown words.
 */
import type { ContextKind, EnvSetting, InvocationContext, Origin, Token } from '../model.js';
import { splitEnvString } from '../shell/index.js';
import { MappedText, maskTemplates } from '../text.js';
import { addArgv, addShellText } from './commands.js';
import { mark, restorePlaceholders } from './github-actions.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { dirOf, joinPath, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

const PLACEHOLDER = 'PERMLINT_SLS_';
const MAX_FUNCTIONS = 1000;

/** `${…}` Serverless variables (nested ones included) replaced by unknown shell variables, mapped over their spans. */
function maskVariables(src: MappedText): { text: MappedText; exprs: string[] } {
  if (!src.text.includes('${')) return { text: src, exprs: [] };
  return maskTemplates(src, PLACEHOLDER, (s, i) => {
    if (!s.startsWith('${', i)) return -1;
    let depth = 0;
    let j = i;
    for (; j < s.length; j++) {
      if (s.startsWith('${', j)) {
        depth++;
        j++;
      } else if (s[j] === '}' && --depth === 0) break;
    }
    // a plain shell `${VAR}` stays the shell's; `${self:…}`, `${env:…}`, `${file(…)…}` are Serverless'
    return j < s.length && /^\$\{\s*[a-zA-Z]+(?:\(|:)/.test(s.slice(i, j + 1)) ? j + 1 : -1;
  });
}

/** A scalar as a word; a Serverless variable in it makes it unknown. */
function word(r: YReader, n: YNode | undefined): Token | undefined {
  const t = r.token(n);
  if (!t) return undefined;
  const vars = t.value.match(/\$\{\s*[a-zA-Z]+[(:][^}]*\}?/g);
  return vars ? { ...t, dynamic: [{ kind: 'template', of: 'serverless', exprs: vars }] } : t;
}

function envOf(r: YReader, node: YNode | undefined, origin: Origin, context: InvocationContext): { setting: EnvSetting; node: YNode }[] {
  const out: { setting: EnvSetting; node: YNode }[] = [];
  for (const e of r.pairs(node)) {
    const value = word(r, e.value);
    if (value && e.value) out.push({ setting: { name: e.key, value, span: r.pairSpan(e), origin, context }, node: e.value });
  }
  return out;
}

export const serverlessSource: Source = {
  ...head('serverless'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const { docs } = parseYaml(file, ctx, 'serverless');
    const doc = docs[0];
    if (!doc) return;
    const r = new YReader(file, doc);
    const root = doc.contents as YNode | undefined;
    if (!root || !r.isMap(root)) return;
    const kind: ContextKind = ctx.contextFor(file.path, 'deployment');
    const cwd = dirOf(file.path);
    const provider = r.get(root, 'provider');
    const providerRuntime = r.str(r.get(provider, 'runtime'));
    const providerOrigin: Origin = { file: file.path, span: r.span(provider), source: 'serverless', name: 'provider' };
    const providerEnvNode = r.get(provider, 'environment');

    for (const fn of r.pairs(r.get(root, 'functions')).slice(0, MAX_FUNCTIONS)) {
      const f = fn.value;
      if (!f || !r.isMap(f)) continue;
      const name = fn.key;
      const origin: Origin = { file: file.path, span: r.span(fn.keyNode), source: 'serverless', name };
      const context: InvocationContext = { kind, cwd };
      // the provider's environment under the function's own (same names: the function wins)
      const env = new Map<string, { setting: EnvSetting; node: YNode }>();
      for (const e of envOf(r, providerEnvNode, providerOrigin, context)) env.set(e.setting.name, e);
      for (const e of envOf(r, r.get(f, 'environment'), origin, context)) env.set(e.setting.name, e);
      const envList = [...env.values()].map((e) => e.setting);
      ctx.model.env.push(...envList);
      const site = { origin, context, id: `${file.path}#function:${name}`, ...(envList.length ? { inheritedEnv: envList } : {}) };

      // a container image: its command and entry point
      const image = r.get(f, 'image');
      if (image && r.isMap(image)) {
        const list = (n: YNode | undefined) => r.items(n).map((x) => word(r, x)).filter((t): t is Token => !!t);
        const argv = [...list(r.get(image, 'entryPoint')), ...list(r.get(image, 'command'))];
        if (argv.length) addArgv(argv, site, ctx);
        continue;
      }

      // a custom runtime with the deno-lambda layer: deno run $DENO_PERMISSIONS <handler>
      const runtime = r.str(r.get(f, 'runtime')) ?? providerRuntime;
      const layerNode = [...r.items(r.get(f, 'layers')), ...r.items(r.get(provider, 'layers'))].find((l) => /deno/i.test(r.str(l) ?? ''));
      const handler = r.token(r.get(f, 'handler'));
      if (!runtime?.startsWith('provided') || !layerNode || !handler) continue;
      const layer = r.span(layerNode);
      const perms = env.get('DENO_PERMISSIONS');
      const permText = perms ? r.text(perms.node) : undefined;
      // split like the bootstrap's unquoted $DENO_PERMISSIONS; a word holding a Serverless variable is unknown
      const permWords: Token[] = perms
        ? permText
          ? splitEnvString(permText).map((t) => (/\$\{\s*[a-zA-Z]+[(:]/.test(t.value) ? { ...t, dynamic: [{ kind: 'template', of: 'serverless', exprs: [t.value.slice(t.value.indexOf('${'))] }] } : t))
          : [perms.setting.value]
        : [{ value: '-A', span: layer }];
      const ext = env.get('HANDLER_EXT')?.setting;
      const dot = handler.value.lastIndexOf('.');
      const base = dot > 0 ? handler.value.slice(0, dot) : handler.value;
      const entry: Token = {
        value: `${joinPath('', base)}.${ext && !ext.value.dynamic ? ext.value.value : 'ts'}`,
        span: handler.span,
        ...(ext?.value.dynamic ? { dynamic: ext.value.dynamic } : handler.value.includes('${') ? { dynamic: [{ kind: 'serverless-variable-in', text: handler.value }] } : {}),
      };
      addArgv([{ value: 'deno', span: layer }, { value: 'run', span: layer }, ...permWords, entry], site, ctx);
    }

    // serverless-plugin-scripts: shell commands run by `serverless package` / `deploy` hooks, and named commands
    const scripts = r.get(r.get(root, 'custom'), 'scripts');
    for (const group of ['hooks', 'commands'] as const) {
      for (const h of r.pairs(r.get(scripts, group))) {
        const lines = r.isSeq(h.value) ? r.items(h.value) : h.value ? [h.value] : [];
        lines.forEach((line, k) => {
          const text = r.text(line);
          if (!text) return;
          const masked = maskVariables(text);
          const before = mark(ctx.model);
          addShellText(
            masked.text,
            {
              origin: { file: file.path, span: r.span(line), source: 'serverless', name: `${group}/${h.key}` },
              context: { kind, cwd },
              id: `${file.path}#${group}:${h.key}${lines.length > 1 ? `:${k + 1}` : ''}`,
              shell: { describeUnknown: (n) => (n.startsWith(PLACEHOLDER) ? { kind: 'template', of: 'serverless', exprs: [masked.exprs[Number(n.slice(PLACEHOLDER.length))] ?? ''] } : { kind: 'variable', of: 'plain', name: n }) },
            },
            ctx,
          );
          restorePlaceholders(ctx.model, before, PLACEHOLDER, masked.exprs);
        });
      }
    }
  },
};
