/**
 * Helm chart templates: `templates/**.yaml` of a chart (a folder holding `Chart.yaml`). The Go
 * template actions are masked, not rendered, and what stays is read as Kubernetes manifests
 * (every document; the deployment context):
 *
 * - an action on a line of its own (`{{- if .Values.debug }}`, `{{- end }}`,
 *   `{{- include "labels" . | nindent 4 }}`) becomes blank space, and the YAML around it is read
 *   as written. Of `if` / `with` / `range` the first branch is read, as if its condition held;
 *   `else` branches and `define` bodies are blanked (one rendering, never two merged into one
 *   command line);
 * - an action inside a value (`image: "{{ .Values.image }}"`, `- --allow-net={{ .Values.host }}`)
 *   becomes a placeholder of the same length, so every span stays exact; the word it stands in
 *   is unknown (`unresolved-value`), never a guess;
 * - a container's `command` or `args` that is a template as a whole
 *   (`args: {{ toYaml .Values.args | nindent 12 }}`, or an output action on its own line under
 *   the key) is reported as not known statically: what it runs and grants is decided at render
 *   time; so is a `sh -c` script whose text holds a template (it is not read as shell).
 *
 * A YAML file under `templates/` with no chart above it is read as a plain Kubernetes manifest.
 */
import type { Span, Token } from '../model.js';
import { shellCommandString, unwrap } from '../grammar/command.js';
import { LineIndex } from '../text.js';
import { kubernetesSource, readObject, sniffKubernetes } from './kubernetes.js';
import { looksLikeTemplate, parseYaml, YReader, type YDoc, type YNode } from './yaml-util.js';
import type { ScanContext, Source, SourceFile } from './types.js';
import { head } from './registry.js';

/** First character of a placeholder: U+E000 + the action's number (private use: never in a chart). */
const MARK = 0xe000;
/** Actions a file may hold before the rest is left unmasked (and the file reported as not read). */
const MAX_ACTIONS = 0x1000;
/** Fills the rest of a placeholder. */
const FILL = '\uf8ff';
const PLACEHOLDER = /[\ue000-\uefff]\uf8ff*/g;
/** Actions that produce no output: control structure, comments, variable assignments. */
const CONTROL = /^(?:if|else|end|range|with|define|block|break|continue)\b|^\/\*|^\$[\w]*\s*:?=/;
const GRANT_KEYS = new Set(['command', 'args']);
const MAX_NODES = 20_000;

interface Action {
  start: number;
  end: number;
  text: string;
  /** On a line of its own (blanked), not inside a value (a placeholder). */
  ownLine: boolean;
  /** Produces text (not `if`/`end`/comments/assignments). */
  output: boolean;
}

/** The chart a template belongs to: the folder above the nearest `templates` folder, when it holds a Chart.yaml this scan sees. */
function chartOf(path: string, ctx: ScanContext): string | undefined {
  const parts = path.split('/');
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] !== 'templates') continue;
    const root = parts.slice(0, i).join('/');
    const chart = root ? `${root}/Chart.yaml` : 'Chart.yaml';
    if (ctx.file?.(chart)) return root;
  }
  return undefined;
}

/** Offset just after the `}}` closing the action that starts at `from` (strings inside the action may hold `}}`); -1 when it never closes. */
function actionEnd(text: string, from: number): number {
  for (let i = from + 2; i < text.length - 1; i++) {
    const c = text[i]!;
    if (c === '"' || c === '`') {
      const close = c === '`' ? text.indexOf('`', i + 1) : (() => {
        for (let j = i + 1; j < text.length; j++) {
          if (text[j] === '\\') j++;
          else if (text[j] === '"' || text[j] === '\n') return j;
        }
        return -1;
      })();
      if (close < 0) return -1;
      i = close;
      continue;
    }
    if (c === '}' && text[i + 1] === '}') return i + 2;
  }
  return -1;
}

/**
 * The template with every action masked, same length and same line breaks as the original: actions
 * on their own lines become spaces, actions inside values become placeholders.
 */
export function maskHelm(text: string): { text: string; actions: Action[]; complete: boolean } {
  const actions: Action[] = [];
  let out = '';
  let last = 0;
  let complete = true;
  // open blocks: `else` branches and `define` bodies are not rendered in place, so they are blanked
  const blocks: { hidden: boolean }[] = [];
  const hidden = () => blocks.some((b) => b.hidden);
  const blank = (s: string) => s.replace(/[^\n\r]/g, ' ');
  for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i)) {
    if (actions.length >= MAX_ACTIONS) {
      complete = false;
      break;
    }
    const end = actionEnd(text, i);
    if (end < 0) {
      complete = false;
      break;
    }
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    let lineEnd = text.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = text.length;
    const body = text.slice(i + 2, end - 2).replace(/^-\s*/, '').replace(/\s*-$/, '').trim();
    // own line: nothing but blanks and other actions around it on its line
    const around = (text.slice(lineStart, i) + text.slice(end, lineEnd)).replace(/\{\{[\s\S]*?\}\}/g, '');
    const action: Action = { start: i, end, text: text.slice(i, end), ownLine: around.trim() === '', output: !CONTROL.test(body) };
    out += hidden() ? blank(text.slice(last, i)) : text.slice(last, i);
    const n = actions.length;
    actions.push(action);
    const word = /^[a-z]+/.exec(body)?.[0];
    if (word === 'if' || word === 'with' || word === 'range') blocks.push({ hidden: false });
    else if (word === 'define' || word === 'block') blocks.push({ hidden: true });
    else if (word === 'else' && blocks.length) blocks[blocks.length - 1]!.hidden = true;
    else if (word === 'end') blocks.pop();
    if (action.ownLine || hidden() || !action.output) out += blank(action.text);
    else out += String.fromCharCode(MARK + n) + action.text.slice(1).replace(/[^\n\r]/g, FILL);
    last = end;
    i = end;
  }
  out += hidden() ? blank(text.slice(last)) : text.slice(last);
  return { text: out, actions, complete };
}

/** Reads the masked manifest; every value with a placeholder comes back with its template text, and is unknown. */
class HelmReader extends YReader {
  constructor(
    file: SourceFile,
    doc: YDoc,
    private readonly actions: Action[],
  ) {
    super(file, doc);
  }

  restore(value: string): { value: string; exprs: string[] } {
    const exprs: string[] = [];
    const v = value.replace(PLACEHOLDER, (m) => {
      const a = this.actions[m.charCodeAt(0) - MARK];
      if (a) exprs.push(a.text);
      return a?.text ?? '';
    });
    return { value: v.replace(/\uf8ff/g, ''), exprs };
  }

  override str(n: unknown): string | undefined {
    const s = super.str(n);
    return s === undefined ? s : this.restore(s).value;
  }

  override token(n: unknown): Token | undefined {
    const t = super.token(n);
    if (!t) return t;
    const { value, exprs } = this.restore(t.value);
    if (!exprs.length) return t;
    return { ...t, value, dynamic: [{ kind: 'template', of: 'helm', exprs }] };
  }
}

export const helmSource: Source = {
  ...head('helm'),
  parse(file: SourceFile, ctx: ScanContext): void {
    if (!looksLikeTemplate(file.text) || chartOf(file.path, ctx) === undefined) {
      kubernetesSource.parse(file, ctx); // no template, or no chart: a plain manifest
      return;
    }
    const masked = maskHelm(file.text);
    if (!sniffKubernetes(masked.text)) return;
    const origin = (span: Span, name?: string) => ({ file: file.path, span, source: 'helm' as const, ...(name ? { name } : {}) });
    const kind = ctx.contextFor(file.path, 'deployment');
    if (!masked.complete) {
      const at = masked.actions.length < MAX_ACTIONS ? file.text.indexOf('{{', masked.actions.at(-1)?.end ?? 0) : masked.actions.at(-1)!.start;
      ctx.model.unresolved.push({
        span: file.index.span(at, at + 2),
        ...(masked.actions.length >= MAX_ACTIONS ? { code: 'template-action-budget' as const, limit: MAX_ACTIONS } : { code: 'unclosed-template-action' as const }),
        origin: origin(file.index.span(0, 0)),
        context: kind,
      });
      if (masked.actions.length < MAX_ACTIONS) return;
    }
    const mfile: SourceFile = { path: file.path, text: masked.text, index: new LineIndex(file.path, masked.text) };
    const before = ctx.model.problems.length;
    const { docs } = parseYaml(mfile, ctx, 'helm');
    // YAML that breaks only once its actions are masked is a template, not a broken file: a note, not a parse-error
    for (const { file: _file, span, source: _source, ...problem } of ctx.model.problems.splice(before)) {
      ctx.model.unresolved.push({
        span,
        code: 'helm-template-not-yaml',
        problem,
        origin: origin(file.index.span(0, 0)),
        context: kind,
      });
    }
    docs.forEach((doc, i) => {
      const r = new HelmReader(mfile, doc, masked.actions);
      readObject(r, doc.contents as YNode | undefined, `${i + 1}`, ctx, kind, 0, 'helm');
      templatedGrants(r, doc, masked.actions, ctx, kind, origin);
    });
  },
};

/** `command` / `args` whose value is a template as a whole: decided at render time. */
function templatedGrants(r: HelmReader, doc: YDoc, actions: Action[], ctx: ScanContext, kind: ReturnType<ScanContext['contextFor']>, origin: (span: Span, name?: string) => { file: string; span: Span; source: 'helm'; name?: string }): void {
  const text = r.file.text;
  const index = r.file.index;
  let seen = 0;
  const report = (key: string, keyNode: YNode, a: Action) => {
    ctx.model.unresolved.push({
      span: index.span(a.start, a.end),
      code: 'helm-template-value',
      key,
      template: a.text,
      origin: origin(r.span(keyNode), key),
      context: kind,
    });
  };
  const visit = (n: unknown, depth: number) => {
    if (!n || depth > 40 || ++seen > MAX_NODES) return;
    if (r.isSeq(n)) {
      for (const it of r.items(n)) visit(it, depth + 1);
      return;
    }
    if (!r.isMap(n)) return;
    // `["sh", "-c", "deno run … {{ .Values.x }}"]`: a script whose text is decided at render time is not read; say so
    const words = ['command', 'args'].flatMap((k) => {
      const v = r.get(n, k);
      return r.isSeq(v) ? r.items(v).map((x) => r.token(x)).filter((t): t is Token => !!t) : [];
    });
    const script = words.length ? shellCommandString(unwrap(words).argv) : undefined;
    const first = script?.dynamic?.[0];
    if (script?.dynamic && first?.kind === 'template' && first.of === 'helm') {
      ctx.model.unresolved.push({
        span: script.span,
        code: 'helm-template-script',
        program: words[0]!.value,
        dynamic: script.dynamic,
        origin: origin(script.span, 'command'),
        context: kind,
      });
    }
    for (const e of r.pairs(n)) {
      if (GRANT_KEYS.has(e.key) && e.keyNode.range) {
        const v = e.value?.range ? text.slice(e.value.range[0], e.value.range[1]).trim().replace(/^["']|["']$/g, '') : '';
        const whole = /^[\ue000-\uefff]\uf8ff*$/.test(v) ? actions[v.charCodeAt(0) - MARK] : undefined;
        if (whole) report(e.key, e.keyNode, whole);
        else {
          // an output action on its own line inside the key's block (`{{- toYaml .Values.args | nindent 12 }}`)
          const keyStart = e.keyNode.range[0];
          const keyCol = keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1);
          const from = e.keyNode.range[1];
          let to = text.length;
          for (let p = text.indexOf('\n', from); p >= 0; p = text.indexOf('\n', p + 1)) {
            const eol = text.indexOf('\n', p + 1);
            const line = text.slice(p + 1, eol < 0 ? text.length : eol);
            const body = line.trimStart();
            const indent = line.length - body.length;
            if (body.trim() === '' || body.startsWith('#')) continue;
            // the block ends at a line indented less than the key, or as much and not an item of it
            if (indent < keyCol || (indent === keyCol && !body.startsWith('- '))) {
              to = p + 1;
              break;
            }
          }
          const a = actions.find((x) => x.ownLine && x.output && x.start > from && x.start < to);
          if (a) report(e.key, e.keyNode, a);
        }
      }
      if (e.value) visit(e.value, depth + 1);
    }
  };
  visit(doc.contents, 0);
}
