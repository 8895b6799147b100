/**
 * GitHub Actions workflows (`.github/workflows/*.y(a)ml`) and composite actions
 * (`action.y(a)ml`): every `run:` through the shell parser with exact positions inside block
 * scalars, `working-directory` (step, job and workflow defaults), `shell`, `env` at every
 * level, the job `container:`, `denoland/setup-deno` `deno-version` and `actions/setup-node`
 * `node-version` (matrix values included). `${{ … }}` expressions are not known statically:
 * they become dynamic words (`unresolved-value`), never guesses.
 */
import type { ContainerContext, ContainerSetting, EnvSetting, InvocationContext, Model, Origin, Runtime, RuntimePin, Span, Token } from '../model.js';
import { ShellParseCache, splitEnvString } from '../shell/index.js';
import { MappedText, maskTemplates } from '../text.js';
import { addShellText } from './commands.js';
import { runContainer } from './kubernetes.js';
import { addPin, imagePin, versionSpec } from './version-pins.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { joinPath, type ScanContext, type SourceFile } from './types.js';
import { head } from './registry.js';

const PLACEHOLDER = 'PERMLINT_GHA_';
const SHELLS_WE_READ = new Set(['bash', 'sh', 'dash', 'zsh']);

/** Replace each `${{ … }}` with a shell variable the parser treats as unknown; the map restores the text. */
export function maskExpressions(src: MappedText): { text: MappedText; exprs: string[] } {
  if (!src.text.includes('${{')) return { text: src, exprs: [] };
  return maskTemplates(src, PLACEHOLDER, (s, i) => {
    if (!s.startsWith('${{', i)) return -1;
    const close = s.indexOf('}}', i + 3);
    return close < 0 ? -1 : close + 2;
  });
}

/** Put the expressions back into everything added to the model since `mark` (values, and the data of problems and unresolved values). */
export function restoreExpressions(model: Model, since: Mark, exprs: string[]): void {
  restorePlaceholders(model, since, PLACEHOLDER, exprs);
}

/** Replace `${<prefix><n>}` placeholders with `values[n]` in every string of what was added since `since`. */
export function restorePlaceholders(model: Model, since: Mark, prefix: string, values: string[]): void {
  if (!values.length) return;
  const re = new RegExp(`\\$\\{${prefix}(\\d+)\\}`, 'g');
  const seen = new Set<object>();
  const fix = (v: string) => v.replace(re, (m, n: string) => values[Number(n)] ?? m);
  const walk = (o: unknown, depth: number) => {
    if (!o || typeof o !== 'object' || seen.has(o) || depth > 12) return;
    seen.add(o);
    const rec = o as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      const v = rec[k];
      if (typeof v === 'string') {
        if (v.includes(prefix)) rec[k] = fix(v);
      } else if (v && typeof v === 'object' && k !== 'context' && k !== 'origin') walk(v, depth + 1);
    }
  };
  for (const x of model.invocations.slice(since.invocations)) walk(x, 0);
  for (const x of model.commands.slice(since.commands)) walk(x, 0);
  for (const x of model.env.slice(since.env)) walk(x, 0);
  for (const x of model.unresolved.slice(since.unresolved)) walk(x, 0);
  for (const x of model.problems.slice(since.problems)) walk(x, 0);
}

export interface Mark {
  invocations: number;
  commands: number;
  env: number;
  unresolved: number;
  problems: number;
}
export function mark(model: Model): Mark {
  return { invocations: model.invocations.length, commands: model.commands.length, env: model.env.length, unresolved: model.unresolved.length, problems: model.problems.length };
}

/** The checkout a workflow runs in: the folder that holds `.github/` (steps start there). */
function workspaceOf(path: string): string {
  const i = path.lastIndexOf('.github/');
  return i <= 0 ? '' : path.slice(0, i - 1);
}

export const githubActionsSource = {
  ...head('github-actions'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const { docs } = parseYaml(file, ctx, 'github-actions');
    const doc = docs[0];
    if (!doc) return;
    const r = new YReader(file, doc);
    const root = doc.contents as YNode | undefined;
    if (!root || !r.isMap(root)) return;
    const kind = ctx.contextFor(file.path, 'ci');
    const topEnv = readEnv(r, r.get(root, 'env'), { file: file.path, span: r.span(root), source: 'github-actions', name: 'env' }, { kind }, ctx);
    const topDefaults = r.path(root, 'defaults', 'run');

    const readings = new ShellParseCache();
    const jobs = r.get(root, 'jobs');
    if (jobs) {
      for (const job of r.pairs(jobs)) {
        const j = job.value;
        if (!j || !r.isMap(j)) continue;
        const jobDefaults = r.path(j, 'defaults', 'run');
        const container = jobContainer(r, r.get(j, 'container'), ctx, kind);
        const jobEnv = readEnv(r, r.get(j, 'env'), { file: file.path, span: r.span(job.keyNode), source: 'github-actions', name: job.key }, { kind }, ctx);
        runSteps(r, r.get(j, 'steps'), {
          ctx,
          kind,
          jobName: job.key,
          env: [...topEnv, ...jobEnv],
          defaults: [jobDefaults, topDefaults],
          readings,
          matrix: r.path(j, 'strategy', 'matrix'),
          ...(container ? { container } : {}),
          ...(windowsRunner(r, r.get(j, 'runs-on')) ? { windows: true } : {}),
        });
      }
    }
    // composite action
    const runs = r.get(root, 'runs');
    if (runs && r.str(r.get(runs, 'using')) === 'composite') {
      runSteps(r, r.get(runs, 'steps'), { ctx, kind, jobName: 'composite', env: topEnv, defaults: [], readings });
    }
  },
};

interface StepScope {
  ctx: ScanContext;
  kind: InvocationContext['kind'];
  jobName: string;
  env: EnvSetting[];
  defaults: (YNode | undefined)[];
  matrix?: YNode | undefined;
  container?: { context: ContainerContext; pin?: RuntimePin };
  /** `runs-on` names only Windows runners: a step without `shell:` runs under pwsh. */
  windows?: boolean;
  /** Readings of the `run:` texts of the file (jobs repeat the same scripts). */
  readings: ShellParseCache;
}

/** Whether `runs-on` (a label, a list of labels or `{ labels }`) names a Windows runner; an expression is not known. */
function windowsRunner(r: YReader, node: YNode | undefined): boolean {
  if (!node) return false;
  const labels = r.isMap(node) ? r.items(r.get(node, 'labels')) : r.items(node).length ? r.items(node) : [node];
  return labels.some((l) => /^windows\b/i.test(r.str(l) ?? ''));
}

function readEnv(r: YReader, envNode: YNode | undefined, origin: Origin, context: InvocationContext, ctx: ScanContext): EnvSetting[] {
  const out: EnvSetting[] = [];
  for (const e of r.pairs(envNode)) {
    if (!e.value) continue;
    const t = r.text(e.value);
    if (!t) continue;
    const masked = maskExpressions(t);
    const value = { value: t.text, span: t.text.length ? t.span(0, t.text.length) : r.span(e.value) } as EnvSetting['value'];
    if (masked.exprs.length) value.dynamic = [{ kind: 'template', of: 'github-actions', exprs: [...masked.exprs] }];
    out.push({ name: e.key, value, span: r.pairSpan(e), origin, context });
  }
  ctx.model.env.push(...out);
  return out;
}

function jobContainer(r: YReader, node: YNode | undefined, ctx: ScanContext, kind: InvocationContext['kind']): { context: ContainerContext; pin?: RuntimePin } | undefined {
  if (!node) return undefined;
  const imageNode = r.isMap(node) ? r.get(node, 'image') : node;
  const image = r.token(imageNode);
  const context: ContainerContext = { platform: 'github-actions' };
  const pin = image && !image.value.includes('${{') ? addPin(ctx, imagePin(image.value, image.span, 'github-actions', kind)) : undefined;
  const options = r.text(r.get(node, 'options'));
  if (options) {
    const words = splitEnvString(options);
    const settings: ContainerSetting[] = [];
    const NAMESPACE = { '--pid': 'pid', '--network': 'network', '--net': 'network', '--ipc': 'ipc' } as const;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const [flag, inline] = w.value.includes('=') ? [w.value.slice(0, w.value.indexOf('=')), w.value.slice(w.value.indexOf('=') + 1)] : [w.value, undefined];
      const val = inline ?? words[i + 1]?.value;
      const text = `${flag} ${val ?? ''}`.trim();
      if (flag === '--privileged') settings.push({ fact: 'privileged', span: w.span, text: flag });
      else if ((flag === '--user' || flag === '-u') && val !== undefined) context.user = { value: val, span: w.span, text };
      else if (flag === '--cap-add' && val) settings.push({ fact: 'capability', name: val, span: w.span, text });
      else if ((flag === '-v' || flag === '--volume') && val?.includes(':')) settings.push({ fact: 'host-mount', path: val.split(':')[0]!, span: w.span, text });
      else if ((flag === '--pid' || flag === '--network' || flag === '--net' || flag === '--ipc') && val === 'host') settings.push({ fact: 'host-namespace', namespace: NAMESPACE[flag], span: w.span, text });
      else if (flag === '--security-opt' && val) {
        const v = val.replace(/\s/g, '').toLowerCase();
        if (v === 'seccomp=unconfined' || v === 'seccomp:unconfined') settings.push({ fact: 'unconfined', profile: 'seccomp', span: w.span, text });
        else if (v === 'apparmor=unconfined' || v === 'apparmor:unconfined') settings.push({ fact: 'unconfined', profile: 'apparmor', span: w.span, text });
      }
    }
    if (settings.length) context.settings = settings;
  }
  return pin ? { context, pin } : { context };
}

function runSteps(r: YReader, steps: YNode | undefined, scope: StepScope): void {
  const { ctx, kind } = scope;
  const file = r.file;
  let runtimeVersion: Partial<Record<Runtime, { value: string; span: Span }>> = {};
  const versionFile: Partial<Record<Runtime, string>> = {};
  if (scope.container?.pin) runtimeVersion = { [scope.container.pin.runtime]: { value: scope.container.pin.text, span: scope.container.pin.span } };
  r.items(steps).forEach((step, index) => {
    const uses = r.str(r.get(step, 'uses'));
    if (uses) {
      const action = uses.split('@')[0]!.toLowerCase();
      const input = action === 'denoland/setup-deno' ? 'deno-version' : action === 'actions/setup-node' ? 'node-version' : undefined;
      if (action.startsWith('docker://')) {
        dockerStep(r, step, uses, index, scope);
        return;
      }
      if (input) {
        const runtime: Runtime = action === 'denoland/setup-deno' ? 'deno' : 'node';
        for (const pin of setupPins(r, r.get(r.get(step, 'with'), input), runtime, scope)) runtimeVersion[runtime] ??= { value: pin.text, span: pin.span };
        // `node-version-file: .nvmrc`: the pin file decides (read by the version-pin source)
        const vf = r.str(r.get(r.get(step, 'with'), `${input}-file`));
        if (vf && !vf.includes('${{') && !runtimeVersion[runtime]) versionFile[runtime] ??= joinPath(workspaceOf(file.path), vf);
      }
      return;
    }
    const runEntry = r.entry(step, 'run');
    if (!runEntry?.value) return;
    const shellName = r.str(r.get(step, 'shell')) ?? scope.defaults.map((d) => r.str(r.get(d, 'shell'))).find((x) => x !== undefined);
    if (shellName && !SHELLS_WE_READ.has(shellName.split(/\s/)[0]!.replace(/^.*\//, ''))) return; // pwsh, python, cmd: not shell text we read
    if (!shellName && scope.windows) return; // Windows runners default to pwsh: not shell text we read
    const text = r.text(runEntry.value);
    if (!text) return;
    const wd = r.str(r.get(step, 'working-directory')) ?? scope.defaults.map((d) => r.str(r.get(d, 'working-directory'))).find((x) => x !== undefined);
    const cwd = wd && !wd.includes('${{') && !wd.startsWith('/') ? joinPath(workspaceOf(file.path), wd) : workspaceOf(file.path);
    const stepName = r.str(r.get(step, 'name')) ?? r.str(r.get(step, 'id')) ?? `step ${index + 1}`;
    const context: InvocationContext = { kind, cwd };
    if (scope.container) context.container = scope.container.context;
    const rv = runtimeVersion.deno ?? runtimeVersion.node;
    if (rv) context.runtimeVersion = rv;
    const rvf = versionFile.deno ?? versionFile.node;
    if (rvf && !rv) context.runtimeVersionFile = rvf;
    const origin: Origin = { file: file.path, span: r.pairSpan(runEntry), source: 'github-actions', name: `${scope.jobName}/${stepName}` };
    const stepEnv = readEnv(r, r.get(step, 'env'), origin, context, ctx);
    const env = new Map<string, EnvSetting>();
    for (const e of [...scope.env, ...stepEnv]) env.set(e.name, e);
    const vars = new Map<string, string>();
    for (const e of env.values()) if (!e.value.dynamic) vars.set(e.name, e.value.value);
    // `${{ matrix.x }}` over a literal matrix: one reading per combination, each value read where the matrix writes it
    const combos = matrixCombinations(r, text, scope.matrix);
    for (const combo of combos ?? [undefined]) {
      const masked = maskExpressions(combo ? combo.text : text);
      const before = mark(ctx.model);
      addShellText(
        masked.text,
        {
          origin: combo ? { ...origin, name: `${origin.name} (${combo.label})` } : origin,
          context,
          id: `${file.path}#${scope.jobName}/${index + 1}${combo ? `#matrix:${combo.label}` : ''}`,
          shell: {
            vars,
            trackAssignments: true,
            describeUnknown: (name) => (name.startsWith(PLACEHOLDER) ? { kind: 'template', of: 'github-actions', exprs: [masked.exprs[Number(name.slice(PLACEHOLDER.length))] ?? ''] } : { kind: 'variable', of: 'shell', name }),
            // (what describeUnknown answers depends on the expressions only)
            shared: { cache: scope.readings, key: JSON.stringify(masked.exprs) },
          },
          inheritedEnv: [...env.values()],
        },
        ctx,
      );
      restoreExpressions(ctx.model, before, masked.exprs);
    }
  });
}

const MATRIX_REF = /\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}/g;
const MAX_COMBINATIONS = 16;

/**
 * The run text once per combination of the literal matrix values it refers to (`include` /
 * `exclude` and values that are not scalars leave it as written): GitHub substitutes an
 * expression's value into the script before the shell runs, so each value is spliced in with
 * the positions it has in the matrix.
 */
function matrixCombinations(r: YReader, text: MappedText, matrix: YNode | undefined): { text: MappedText; label: string }[] | undefined {
  if (!matrix || !text.text.includes('matrix.')) return undefined;
  const names = [...new Set([...text.text.matchAll(MATRIX_REF)].map((m) => m[1]!))];
  if (!names.length || r.get(matrix, 'include') || r.get(matrix, 'exclude')) return undefined;
  const values = new Map<string, MappedText[]>();
  for (const n of names) {
    const items = r.items(r.get(matrix, n)).map((i) => r.text(i));
    if (!items.length || items.some((t) => !t)) return undefined;
    values.set(n, items as MappedText[]);
  }
  let combos: Map<string, MappedText>[] = [new Map()];
  for (const n of names) {
    combos = combos.flatMap((c) => values.get(n)!.map((v) => new Map([...c, [n, v]])));
    if (combos.length > MAX_COMBINATIONS) return undefined;
  }
  return combos.map((c) => {
    let out = '';
    const offsets: number[] = [];
    let last = 0;
    for (const m of text.text.matchAll(MATRIX_REF)) {
      for (let i = last; i < m.index!; i++) {
        out += text.text[i];
        offsets.push(text.fileOffset(i));
      }
      const v = c.get(m[1]!)!;
      for (let i = 0; i < v.text.length; i++) {
        out += v.text[i];
        offsets.push(v.fileOffset(i));
      }
      last = m.index! + m[0].length;
    }
    for (let i = last; i < text.text.length; i++) {
      out += text.text[i];
      offsets.push(text.fileOffset(i));
    }
    offsets.push(text.fileOffset(text.text.length));
    return { text: new MappedText(out, offsets, text.index), label: [...c].map(([k, v]) => `matrix.${k}=${v.text}`).join(', ') };
  });
}

/** `uses: docker://image` with `with.args` (split into words) and `with.entrypoint`: the container runs them. */
function dockerStep(r: YReader, step: YNode, uses: string, index: number, scope: StepScope): void {
  const withNode = r.get(step, 'with');
  const argsText = r.text(r.get(withNode, 'args'));
  const entry = r.token(r.get(withNode, 'entrypoint'));
  if (!argsText && !entry) return;
  const usesTok = r.token(r.get(step, 'uses'))!;
  const image: Token = { value: uses.slice('docker://'.length), span: { ...usesTok.span, column: usesTok.span.column + 'docker://'.length } };
  const stepName = r.str(r.get(step, 'name')) ?? r.str(r.get(step, 'id')) ?? `step ${index + 1}`;
  const context: InvocationContext = { kind: scope.kind, cwd: workspaceOf(r.file.path) };
  const pin = image.value.includes('${{') ? undefined : addPin(scope.ctx, imagePin(image.value, image.span, 'github-actions', scope.kind));
  if (pin) context.runtimeVersion = { value: pin.text, span: pin.span };
  const args = argsText ? splitEnvString(maskExpressions(argsText).text) : [];
  const run = {
    origin: { file: r.file.path, span: r.span(step), source: 'github-actions' as const, name: `${scope.jobName}/${stepName}` },
    context,
    id: `${r.file.path}#${scope.jobName}/${index + 1}`,
    env: scope.env,
    argsName: 'with.args',
    image,
  } as Parameters<typeof runContainer>[0];
  if (entry) run.command = [entry];
  if (args.length) run.args = args;
  runContainer(run, scope.ctx);
}

/** setup-node / setup-deno version inputs: a literal, a multi-line list, or `${{ matrix.x }}` with a literal matrix. */
function setupPins(r: YReader, node: YNode | undefined, runtime: Runtime, scope: StepScope): RuntimePin[] {
  const out: RuntimePin[] = [];
  const tok = r.token(node);
  if (!tok) return out;
  const m = /^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(tok.value.trim());
  const candidates = m ? r.items(r.get(scope.matrix, m[1]!)).map((it) => r.token(it)).filter((t): t is NonNullable<typeof t> => !!t) : [tok];
  for (const c of candidates) {
    if (c.value.includes('${{')) continue;
    for (const line of c.value.split('\n')) {
      const v = line.trim();
      const spec = versionSpec(v);
      if (!spec) continue;
      const span = c.value.includes('\n') ? c.span : c.span;
      const pin = addPin(scope.ctx, { runtime, text: v, version: spec.version, exact: spec.exact, span, source: 'github-actions', context: scope.kind });
      if (pin) out.push(pin);
    }
  }
  return out;
}
