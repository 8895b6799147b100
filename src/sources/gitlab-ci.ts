/**
 * GitLab CI pipelines (`.gitlab-ci.yml`): every job's `before_script`, `script` and
 * `after_script` (strings or lists, nested lists and `!reference [job, key]` tags resolved)
 * through the shell parser with exact positions, `extends` (deep-merged like GitLab, across
 * `include: local` files), YAML anchors and merge keys, `default:` and the global keywords,
 * `variables` (literal values are known to the scripts), `image:` (a runtime pin) and
 * `services:` (`command` / `entrypoint` run in the service's image). Included local files (also
 * as `*` / `**` globs) are read where they stand: findings point into them; `project`, `remote`,
 * `template` and `component` includes cannot be read offline and each gets a note. Hidden jobs (`.name`) run only through
 * `extends` or `!reference`.
 */
import type { EnvSetting, InvocationContext, Origin, Span, Token, UnresolvedFacts } from '../model.js';
import { compileGlob } from '../glob.js';
import { addShellText } from './commands.js';
import { runContainer } from './kubernetes.js';
import { addPin, imagePin } from './version-pins.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { joinPath, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

/** Top-level keys that are not jobs. */
const GLOBAL_KEYS = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache', 'spec']);
const SCRIPT_KEYS = ['before_script', 'script', 'after_script'] as const;
/** Keys `default:` (and the deprecated globals) give every job that does not set them. */
const DEFAULT_KEYS = ['before_script', 'after_script', 'image', 'services'] as const;
const MAX_INCLUDES = 50;
const MAX_EXTENDS_DEPTH = 11; // GitLab's own limit
const MAX_REFERENCE_DEPTH = 10;

/** A value as written: the node and the reader of the file it is written in. */
interface At {
  r: YReader;
  node: YNode;
}
/** A job after `extends`: top-level keys, and `variables` merged key by key. */
interface Job {
  name: string;
  keyNode: At;
  keys: Map<string, At>;
  variables: Map<string, { key: At; value: At }>;
}

export const gitlabCiSource: Source = {
  ...head('gitlab-ci'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const raw = new Map<string, At>(); // job name → its own node
    const rawKey = new Map<string, At>();
    const globals = new Map<string, At>();
    const globalVars = new Map<string, { key: At; value: At }>();
    const seen = new Set<string>();

    const readFile = (f: SourceFile, depth: number) => {
      if (seen.has(f.path) || seen.size >= MAX_INCLUDES || depth > 10) return;
      seen.add(f.path);
      const { docs } = parseYaml(f, ctx, 'gitlab-ci');
      // a `spec:` header document comes before the configuration
      const doc = docs.length > 1 && docs[0]!.contents && new YReader(f, docs[0]!).get(docs[0]!.contents, 'spec') ? docs[1] : docs[0];
      if (!doc) return;
      const r = new YReader(f, doc);
      const root = doc.contents as YNode | undefined;
      if (!root || !r.isMap(root)) return;
      const inc = includes(r, r.get(root, 'include'), ctx);
      for (const u of inc.unread) {
        ctx.model.unresolved.push({
          ...u,
          origin: { file: f.path, span: u.span, source: 'gitlab-ci', name: 'include' },
          context: ctx.contextFor(file.path, 'ci'),
        });
      }
      for (const path of inc.local) {
        const target = ctx.file?.(path);
        if (target) readFile(target, depth + 1);
      }
      for (const e of r.pairs(root)) {
        if (!e.value) continue;
        if (e.key === 'default') {
          for (const d of r.pairs(e.value)) if (d.value && (DEFAULT_KEYS as readonly string[]).includes(d.key)) globals.set(d.key, { r, node: d.value });
        } else if (e.key === 'variables') {
          for (const v of r.pairs(e.value)) if (v.value) globalVars.set(v.key, { key: { r, node: v.keyNode }, value: { r, node: v.value } });
        } else if ((DEFAULT_KEYS as readonly string[]).includes(e.key)) {
          if (!globals.has(e.key)) globals.set(e.key, { r, node: e.value });
        } else if (!GLOBAL_KEYS.has(e.key) && r.isMap(e.value)) {
          // a later definition of the same job wins, as GitLab merges included files
          raw.set(e.key, { r, node: e.value });
          rawKey.set(e.key, { r, node: e.keyNode });
        }
      }
    };
    readFile(file, 0);

    const merged = new Map<string, Job>();
    const resolveJob = (name: string, depth: number): Job | undefined => {
      const have = merged.get(name);
      if (have) return have;
      const own = raw.get(name);
      if (!own || depth > MAX_EXTENDS_DEPTH) return undefined;
      const job: Job = { name, keyNode: rawKey.get(name)!, keys: new Map(), variables: new Map() };
      const { r, node } = own;
      const ext = r.get(node, 'extends');
      const parents = ext ? (r.isSeq(ext) ? r.items(ext).map((i) => r.str(i)) : [r.str(ext)]) : [];
      for (const p of parents) {
        const base = p ? resolveJob(p, depth + 1) : undefined;
        if (!base) continue;
        for (const [k, v] of base.keys) job.keys.set(k, v);
        for (const [k, v] of base.variables) job.variables.set(k, v);
      }
      for (const e of r.pairs(node)) {
        if (!e.value || e.key === 'extends') continue;
        if (e.key === 'variables' && r.isMap(e.value)) {
          for (const v of r.pairs(e.value)) if (v.value) job.variables.set(v.key, { key: { r, node: v.keyNode }, value: { r, node: v.value } });
        } else job.keys.set(e.key, { r, node: e.value });
      }
      merged.set(name, job);
      return job;
    };

    /** Script lines of a job key, `!reference` tags and nested lists flattened. */
    const lines = (at: At | undefined, depth = 0): At[] => {
      if (!at || depth > MAX_REFERENCE_DEPTH) return [];
      const { r, node } = at;
      if (r.isSeq(node)) {
        if ((node as { tag?: string }).tag === '!reference') {
          const path = r.items(node).map((i) => r.str(i));
          const [jobName, key, ...rest] = path;
          if (!jobName || !key || path.some((x) => x === undefined)) return [];
          let target: At | undefined = jobName === 'default' ? globals.get(key) : resolveJob(jobName, 0)?.keys.get(key);
          for (const k of rest) target = target ? { r: target.r, node: target.r.get(target.node, k!)! } : undefined;
          return target?.node ? lines(target, depth + 1) : [];
        }
        return r.items(node).flatMap((i) => lines({ r, node: i }, depth + 1));
      }
      return r.text(node) ? [at] : [];
    };

    const kind = ctx.contextFor(file.path, 'ci');
    for (const name of raw.keys()) {
      if (name.startsWith('.')) continue; // hidden job: a template
      const job = resolveJob(name, 0);
      if (!job) continue;
      const key = (k: string) => job.keys.get(k) ?? (job.keys.has('script') && (DEFAULT_KEYS as readonly string[]).includes(k) ? globals.get(k) : undefined);
      const context: InvocationContext = { kind, cwd: '' };
      const image = key('image');
      const imageTok = image ? imageToken(image) : undefined;
      if (imageTok && !imageTok.value.includes('$')) {
        const pin = addPin(ctx, imagePin(imageTok.value, imageTok.span, 'gitlab-ci', kind));
        if (pin) context.runtimeVersion = { value: pin.text, span: pin.span };
      }
      const jobOrigin = (at: At, what: string): Origin => ({ file: at.r.file.path, span: at.r.span(at.node), source: 'gitlab-ci', name: `${name}/${what}` });

      // variables: globals under the job's own; literal values are known to the scripts
      const env: EnvSetting[] = [];
      const vars = new Map<string, string>();
      for (const [vname, v] of new Map([...globalVars, ...job.variables])) {
        const valueNode = v.value.r.isMap(v.value.node) ? v.value.r.get(v.value.node, 'value') : v.value.node;
        const tok = valueNode ? v.value.r.token(valueNode) : undefined;
        if (!tok) continue;
        const value: Token = tok.value.includes('$') ? { ...tok, dynamic: [{ kind: 'gitlab-variable-refs', name: vname }] } : tok;
        const span = v.key.r.span(v.key.node);
        const setting: EnvSetting = { name: vname, value, span, origin: { file: v.key.r.file.path, span, source: 'gitlab-ci', name: `${name}/variables` }, context };
        env.push(setting);
        if (!value.dynamic) vars.set(vname, value.value);
      }
      ctx.model.env.push(...env);

      for (const sk of SCRIPT_KEYS) {
        lines(key(sk)).forEach((line, k) => {
          const text = line.r.text(line.node)!;
          addShellText(
            text,
            {
              origin: jobOrigin(line, sk),
              context,
              id: `${file.path}#${name}:${sk}:${k + 1}`,
              shell: { vars, trackAssignments: true, describeUnknown: (n) => ({ kind: 'variable', of: 'gitlab-ci', name: n }) },
              inheritedEnv: env,
            },
            ctx,
          );
        });
      }

      // services: `command` runs through the service image's entrypoint (or `entrypoint` when set)
      const services = key('services');
      if (services) {
        services.r.items(services.node).forEach((svc, k) => {
          const r = services.r;
          if (!r.isMap(svc)) return;
          const command = r.items(r.get(svc, 'command')).map((i) => r.token(i)).filter((t): t is Token => !!t);
          const entrypoint = r.items(r.get(svc, 'entrypoint')).map((i) => r.token(i)).filter((t): t is Token => !!t && t.value !== '');
          if (!command.length && !entrypoint.length) return;
          const svcImage = r.token(r.get(svc, 'name'));
          const run = {
            origin: { file: r.file.path, span: r.span(svc), source: 'gitlab-ci' as const, name: `${name}/services/${svcImage?.value ?? k + 1}` },
            context,
            id: `${file.path}#${name}:service:${k + 1}`,
            env,
            argsName: 'command',
          } as Parameters<typeof runContainer>[0];
          if (entrypoint.length) run.command = entrypoint;
          if (command.length) run.args = command;
          if (svcImage) run.image = svcImage;
          runContainer(run, ctx);
        });
      }
    }
  },
};

/** `image: name` or `image: { name: … }`. */
function imageToken(at: At): Token | undefined {
  const { r, node } = at;
  return r.isMap(node) ? r.token(r.get(node, 'name')) : r.token(node);
}

/** What `include:` adds from outside the repository: read by GitLab when the pipeline starts, never by permlint. */
/** The `include:` keys that name something outside the repository. */
const REMOTE_INCLUDES = ['project', 'remote', 'template', 'component'] as const;

type UnreadInclude = Extract<UnresolvedFacts, { code: 'remote-include' | 'dynamic-include' }> & { span: Span };

/**
 * `include:` entries: repository paths of local files (`local:`, or a plain path that is not a
 * URL; `*` and `**` globs matched against the files this scan discovered, as GitLab matches
 * them), and a note for each entry permlint cannot read offline (`project`, `remote`,
 * `template`, `component`, a URL, a path holding a variable).
 */
function includes(r: YReader, node: YNode | undefined, ctx: ScanContext): { local: string[]; unread: UnreadInclude[] } {
  const local: string[] = [];
  const unread: UnreadInclude[] = [];
  if (!node) return { local, unread };
  const entries = r.isSeq(node) ? r.items(node) : [node];
  for (const e of entries.slice(0, MAX_INCLUDES)) {
    let path: string | undefined;
    if (r.isMap(e)) {
      const kind = REMOTE_INCLUDES.find((k) => r.entry(e, k));
      if (kind) {
        const values = [r.str(r.get(e, kind)), ...r.items(r.get(e, 'file')).map((x) => r.str(x)), r.str(r.get(e, 'file'))].filter((x): x is string => !!x);
        unread.push({ span: r.span(e), code: 'remote-include', kind, key: kind, values });
        continue;
      }
      path = r.str(r.get(e, 'local'));
    } else path = r.str(e);
    if (!path) continue;
    if (/^[a-z]+:\/\//i.test(path)) {
      unread.push({ span: r.span(e), code: 'remote-include', kind: 'remote', values: [path] });
      continue;
    }
    if (path.includes('$')) {
      unread.push({ span: r.span(e), code: 'dynamic-include', path });
      continue;
    }
    if (!path.includes('*')) {
      local.push(joinPath('', path));
      continue;
    }
    // GitLab: `*` within one folder, `**` (not followed by `/`) through subfolders too, `**/` at least one subfolder
    const glob = path
      .replace(/^\/+/, '')
      .split('**/')
      .map((part) => part.replace(/\*\*/g, '{*,**/*}'))
      .join('*/**/');
    let match: (s: string) => boolean;
    try {
      match = compileGlob(glob);
    } catch {
      continue;
    }
    const hits = [...(ctx.paths?.() ?? [])].filter((p) => /\.ya?ml$/.test(p) && match(p)).sort();
    local.push(...hits.slice(0, MAX_INCLUDES));
  }
  return { local, unread };
}
