/**
 * Inline suppressions, applied after the engine as a filter over findings.
 *
 *   # permlint-ignore <rule-id>[,<rule-id>] -- <reason>     shell, YAML, Dockerfile, Makefile, systemd
 *   // permlint-ignore <rule-id>[,<rule-id>] -- <reason>    deno.json(c), TypeScript, JavaScript
 *
 * A directive alone on its line applies to the next line that is not itself a comment (so
 * several directives can stack), and to the lines that continue it with a trailing backslash; a
 * directive after code applies to its own line. A finding is
 * suppressed when it starts on such a line and its rule is named. Kubernetes objects may also
 * carry the annotation `permlint.dev/ignore: "<rule-id>[,<rule-id>] -- <reason>"`, which applies
 * to every finding inside the object that carries it.
 *
 * Comments are found with a light per-line scan that skips quoted strings, not a re-parse; the
 * YAML parser is loaded only for files that contain the annotation key.
 *
 * A directive without a reason, or naming an unknown rule, is not applied and is reported as
 * `invalid-suppression`; with `--report-unused-suppressions`, a directive that hides nothing is
 * reported as `unused-suppression`.
 */
import type { FileKind } from './discover.js';
import type { Finding, Span } from './model.js';
import type { RuleMeta } from './rule-api.js';
import { closest } from './config.js';
import { LineIndex } from './text.js';
import { commentStyleOf } from './sources/registry.js';
import type { CommentStyle } from './sources/types.js';

export const ANNOTATION = 'permlint.dev/ignore';
const MARKER = 'permlint-ignore';

/** Rules about suppressions themselves (documented in docs/configuration.md). */
export const SUPPRESSION_RULES: RuleMeta[] = [
  {
    id: 'invalid-suppression',
    level: 'warning',
    severity: 1.0,
    category: 'other',
    description: 'A permlint-ignore directive that is not applied: it has no reason, or names no rule or an unknown rule',
  },
  {
    id: 'unused-suppression',
    level: 'warning',
    severity: 1.0,
    category: 'other',
    description: 'A permlint-ignore directive that hides no finding (reported with --report-unused-suppressions)',
  },
];

export interface Directive {
  file: string;
  /** Where the directive is written. */
  span: Span;
  ids: string[];
  reason: string;
  /** Lines whose findings it hides (comment), or a range of lines (annotation). */
  lines: { from: number; to: number };
  form: 'comment' | 'annotation';
  used: Set<string>;
}

/** Whether a file's text may hold a directive (a comment or an annotation); files without one need not be kept for suppressions. */
export function mayHoldDirectives(text: string): boolean {
  return text.includes(MARKER) || text.includes(ANNOTATION);
}
/** The words `mayHoldDirectives` looks for (ASCII): discovery looks for them in a file's bytes, before decoding it. */
mayHoldDirectives.markers = [MARKER, ANNOTATION] as readonly string[];

function styleOf(kind: FileKind | undefined): CommentStyle {
  return commentStyleOf(kind);
}

/** Where a comment starts on a line (index of `#` or `//`), or -1. Quoted strings are skipped. */
function commentStart(line: string, style: CommentStyle): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote !== "'") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || (c === '`' && style !== 'hash')) {
      // a quote inside a word (`it's`) does not open a string in YAML or shell comments' prose
      if (c === "'" && i > 0 && /\w/.test(line[i - 1]!)) continue;
      quote = c;
      continue;
    }
    const wordStart = i === 0 || /\s/.test(line[i - 1]!);
    if ((style === 'hash' || style === 'both') && c === '#' && wordStart) return i;
    if ((style === 'slash' || style === 'both') && c === '/' && line[i + 1] === '/') return i;
  }
  return -1;
}

/** Parses the text after the marker: `<ids> -- <reason>`. */
function parseBody(body: string): { ids: string[]; reason: string } {
  const m = /(^|\s)--(\s|$)/.exec(body);
  const idsPart = m ? body.slice(0, m.index) : body;
  const reason = m ? body.slice(m.index + m[0].length).trim() : '';
  const ids = idsPart
    .replace(/^:/, '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return { ids, reason };
}

/** Directives written as comments in one file. */
export function commentDirectives(file: string, text: string, kind: FileKind | undefined): Directive[] {
  const style = styleOf(kind);
  if (style === 'none' || !text.includes(MARKER)) return [];
  const index = new LineIndex(file, text);
  const out: Directive[] = [];
  const commentOnly: boolean[] = [];
  const found: { line: number; col: number; endCol: number; standalone: boolean; body: string }[] = [];
  for (let line = 1; line <= index.lineCount; line++) {
    const t = index.lineText(line);
    const at = commentStart(t, style);
    commentOnly[line] = at >= 0 && t.slice(0, at).trim() === '';
    if (at < 0) continue;
    const comment = t.slice(at).replace(/^(#|\/\/)\s*/, '');
    if (!comment.startsWith(MARKER)) continue;
    const after = comment.slice(MARKER.length);
    if (after && !/^[\s:]/.test(after)) continue; // permlint-ignored, permlint-ignore-foo: not ours
    if (/^:?\s*[^A-Za-z\s-]/.test(after)) continue; // `permlint-ignore <rule-id>` in prose documents the syntax
    found.push({ line, col: at + 1, endCol: t.trimEnd().length + 1, standalone: commentOnly[line]!, body: after.trim() });
  }
  for (const d of found) {
    let target = d.line;
    if (d.standalone) {
      target = d.line + 1;
      while (target <= index.lineCount && commentOnly[target]) target++;
    }
    // a command continued with a trailing backslash (shell, Dockerfile RUN, Makefile) is one line
    let last = target;
    while (last < index.lineCount && index.lineText(last).trimEnd().endsWith('\\')) last++;
    const { ids, reason } = parseBody(d.body);
    out.push({
      file,
      span: { file, line: d.line, column: d.col, endLine: d.line, endColumn: d.endCol },
      ids,
      reason,
      lines: { from: target, to: last },
      form: 'comment',
      used: new Set(),
    });
  }
  return out;
}

/** Directives written as the `permlint.dev/ignore` annotation on a Kubernetes object. */
export async function annotationDirectives(file: string, text: string, kind: FileKind | undefined): Promise<Directive[]> {
  if (!text.includes(ANNOTATION) || !(kind === 'kubernetes' || kind === 'yaml')) return [];
  const { parseAllDocuments, isMap, isPair, isScalar, visit } = await import('yaml');
  const index = new LineIndex(file, text);
  const out: Directive[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false });
  } catch {
    return [];
  }
  for (const doc of Array.isArray(docs) ? docs : []) {
    if (doc.errors.length) continue;
    visit(doc, {
      Map(_, node) {
        const meta = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'metadata');
        if (!meta || !isMap(meta.value)) return;
        const ann = meta.value.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'annotations');
        if (!ann || !isMap(ann.value)) return;
        const pair = ann.value.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === ANNOTATION);
        if (!pair || !isScalar(pair.value) || typeof pair.value.value !== 'string' || !node.range || !pair.value.range) return;
        const { ids, reason } = parseBody(pair.value.value.trim());
        const objSpan = index.span(node.range[0], node.range[1]);
        // a range that ends at the start of a line (after the newline) ends on the line before
        if (objSpan.endColumn === 1 && objSpan.endLine > objSpan.line) objSpan.endLine--;
        const valueSpan = index.span(pair.value.range[0], pair.value.range[1]);
        out.push({ file, span: valueSpan, ids, reason, lines: { from: objSpan.line, to: objSpan.endLine }, form: 'annotation', used: new Set() });
      },
    });
  }
  return out;
}

export interface SuppressOptions {
  /** False with --no-inline-config: directives are neither read nor reported. */
  inline: boolean;
  reportUnused: boolean;
  knownRules: string[];
}

export interface SuppressResult {
  findings: Finding[];
  suppressed: { finding: Finding; directive: Directive }[];
  /** `invalid-suppression` and `unused-suppression` findings (at their catalogue level). */
  problems: Finding[];
  directives: Directive[];
}

const meta = (id: string) => SUPPRESSION_RULES.find((r) => r.id === id)!;

function problem(id: 'invalid-suppression' | 'unused-suppression', span: Span, message: string): Finding {
  const m = meta(id);
  return { ruleId: id, level: m.level, message, span, securitySeverity: m.severity };
}

function example(d: Directive, ids: string[]): string {
  const lead = d.form === 'annotation' ? `${ANNOTATION}: "` : d.span.file.match(/\.(json|jsonc|[cm]?[jt]sx?)$/) ? '// permlint-ignore ' : '# permlint-ignore ';
  return d.form === 'annotation' ? `${lead}${ids.join(',') || '<rule-id>'} -- <why this is safe>"` : `${lead}${ids.join(',') || '<rule-id>'} -- <why this is safe>`;
}

export async function applySuppressions(
  findings: Finding[],
  files: Map<string, { text: string; kind: FileKind | undefined }>,
  options: SuppressOptions,
): Promise<SuppressResult> {
  if (!options.inline) return { findings, suppressed: [], problems: [], directives: [] };
  const directives: Directive[] = [];
  for (const [path, f] of files) {
    directives.push(...commentDirectives(path, f.text, f.kind));
    directives.push(...(await annotationDirectives(path, f.text, f.kind)));
  }
  const problems: Finding[] = [];
  const active: { d: Directive; ids: Set<string> }[] = [];
  for (const d of directives) {
    const unknown = d.ids.filter((id) => !options.knownRules.includes(id));
    const known = d.ids.filter((id) => options.knownRules.includes(id));
    if (!d.ids.length) {
      problems.push(problem('invalid-suppression', d.span, `this permlint-ignore names no rule, so it hides nothing; write \`${example(d, [])}\``));
      continue;
    }
    for (const id of unknown) {
      const hint = closest(id, options.knownRules);
      problems.push(problem('invalid-suppression', d.span, `permlint-ignore names the unknown rule \`${id}\`${hint ? `; did you mean \`${hint}\`?` : ' (see `permlint rules`)'}`));
    }
    if (!d.reason) {
      problems.push(
        problem('invalid-suppression', d.span, `this permlint-ignore has no reason, so it is not applied; say why the finding is acceptable: \`${example(d, known)}\``),
      );
      continue;
    }
    if (known.length) active.push({ d, ids: new Set(known) });
  }

  const kept: Finding[] = [];
  const suppressed: SuppressResult['suppressed'] = [];
  for (const f of findings) {
    const hit = active.find(({ d, ids }) => d.file === f.span.file && ids.has(f.ruleId) && f.span.line >= d.lines.from && f.span.line <= d.lines.to);
    if (hit) {
      hit.d.used.add(f.ruleId);
      suppressed.push({ finding: f, directive: hit.d });
    } else kept.push(f);
  }
  if (options.reportUnused) {
    for (const { d, ids } of active) {
      const unused = [...ids].filter((id) => !d.used.has(id));
      if (unused.length) {
        problems.push(
          problem(
            'unused-suppression',
            d.span,
            `permlint-ignore for ${unused.map((u) => `\`${u}\``).join(', ')} hides nothing ${d.form === 'annotation' ? 'in this object' : `on line ${d.lines.from}`}; remove ${unused.length === ids.size ? 'the directive' : 'those rule ids'}`,
          ),
        );
      }
    }
  }
  return { findings: kept, suppressed, problems, directives };
}
