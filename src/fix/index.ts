/**
 * Fixes in zizmor's shape: each is a description and text edits; `safe` fixes correct mechanical
 * mistakes whose intent is clear (`--fix`), `unsafe` ones rewrite grants to the least privilege
 * inferred from the code (`--fix=all`): they change what the program may do.
 *
 * Safe:
 * - `--allow-net a.com main.ts` → `--allow-net=a.com main.ts` (the value became the script);
 * - a permission flag after the script moved before it;
 * - Node `--experimental-permission` → `--permission` where the pinned Node has `--permission`;
 * - a Node `--allow-fs-read=a,b` comma list split into one flag per path.
 * Unsafe: each allow grant of a Deno invocation or Node run replaced by the inferred one, grants
 * of kinds nothing uses removed, missing ones added before the entrypoint; kinds a limit covers
 * (an opaque dependency, the Deno object escaping) are left as they are; `-A` replaced when no
 * limit applies; a deno.json permission set rewritten for all its loaders (./sets.ts).
 *
 * Edits are made only where every word up to the script is written literally at its place (no
 * escapes, not a variable's expansion), in the carrier's own separators (./carrier.ts): words in a
 * command string, elements of an exec-form or flow array, items of a YAML block list; so
 * formatting and comments around them stay.
 */
import type { Finding, FindingFix, Inference, Invocation, Model, PermKind, Runtime, Span } from '../model.js';
import { allVersionsIn, nodeVersionsFor } from '../rule-util.js';
import { flagName, leastPrivilege, grantWords, limited, type KindGrant, type LeastPrivilege } from '../infer/least.js';
import { insertBefore, placeOf, removal, replaceWith, writable } from './carrier.js';
import { permissionSetFixes } from './sets.js';
import { DEFAULT_IMPORT_HOSTS } from '../grammar/permissions.js';
import { placeCovers } from '../grammar/query.js';
import { resolvePath } from '../semantics/paths.js';

export interface Edit {
  file: string;
  /** 0-based UTF-16 offsets into the file's text. */
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  /** The finding this fix answers: rule and span (or, for least-privilege rewrites, every over-/under-grant finding of the subject). */
  ruleId: string;
  span: Span;
  subjectIds?: string[];
  description: string;
  safety: 'safe' | 'unsafe';
  edits: Edit[];
}

/** Texts of the scanned files, to turn spans into offsets and to check what is there (a Map, or a run's FileTexts). */
import type { Texts } from '../file-texts.js';
export type { Texts };

/** Line starts (after each `\n`) per file of each texts map: one pass per file, not one per span (20,000 findings in one file were quadratic). */
const lineStarts = new WeakMap<Texts, Map<string, { text: string; starts: number[] }>>();
function offsetOf(texts: Texts, file: string, text: string, line: number, column: number): number {
  let perFile = lineStarts.get(texts);
  if (!perFile) lineStarts.set(texts, (perFile = new Map()));
  let known = perFile.get(file);
  if (known?.text !== text) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    perFile.set(file, (known = { text, starts }));
  }
  const off = known.starts[line - 1];
  return off === undefined ? text.length : off + column - 1;
}

function range(texts: Texts, span: Span): { start: number; end: number; text: string } | undefined {
  const text = texts.get(span.file);
  if (text === undefined) return undefined;
  const start = offsetOf(texts, span.file, text, span.line, span.column);
  const end = offsetOf(texts, span.file, text, span.endLine, span.endColumn);
  return { start, end, text: text.slice(start, end) };
}

/** The token as written in the file, when it is exactly `expected` there. */
function exact(texts: Texts, span: Span, expected: string): { start: number; end: number; ownString: boolean } | undefined {
  const r = range(texts, span);
  if (!r || r.text !== expected) return undefined;
  const text = texts.get(span.file)!;
  return { start: r.start, end: r.end, ownString: text[r.start - 1] === '"' && text[r.end] === '"' };
}

const SCRIPT = /(\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$)|^(https?:|jsr:|npm:)/;
const DENO_FLAG = /^--(allow|deny|ignore)-[a-z-]+(=|$)|^-[ARWNESI]$/;
const NODE_FLAG = /^--(allow-[a-z-]+|permission|experimental-permission)(=|$)/;

function safeFixes(model: Model, texts: Texts): Fix[] {
  const out: Fix[] = [];
  for (const inv of model.invocations) {
    const ep = inv.entrypoint;
    // `--allow-net a.com main.ts`: the value is read as the script
    if (ep && !SCRIPT.test(ep.value) && inv.programArgs.some((a) => SCRIPT.test(a.value))) {
      const idx = inv.argv.indexOf(ep);
      const prev = inv.argv[idx - 1];
      const grant = prev && inv.permissions.find((g) => g.span.line === prev.span.line && g.span.endColumn === prev.span.endColumn && g.scope === 'all');
      if (prev && grant && prev.span.line === ep.span.line && !ep.dynamic && (inv.runtime === 'deno' || grant.kind === 'read' || grant.kind === 'write')) {
        const a = exact(texts, prev.span, prev.value);
        const b = exact(texts, ep.span, ep.value);
        if (a && b && !a.ownString && /^\s+$/.test(texts.get(prev.span.file)!.slice(a.end, b.start))) {
          out.push({
            ruleId: 'ineffective-flag',
            span: { ...prev.span, endLine: ep.span.endLine, endColumn: ep.span.endColumn },
            description: `write \`${prev.value}=${ep.value}\``,
            safety: 'safe',
            edits: [{ file: prev.span.file, start: a.end, end: b.start, text: '=' }],
          });
        }
      }
    }
    // permission flags after the script: move them before it
    if (ep && !ep.dynamic) {
      const looks = inv.runtime === 'deno' ? DENO_FLAG : NODE_FLAG;
      // the script's text is read (again, src/file-texts.ts) only when a flag follows it
      let target: ReturnType<typeof exact> | null = null;
      for (const a of inv.programArgs) {
        if (!looks.test(a.value) || a.dynamic || a.span.line !== ep.span.line) continue;
        if (target === null) target = exact(texts, ep.span, ep.value);
        if (!target || target.ownString) continue;
        const tok = exact(texts, a.span, a.value);
        if (!tok || tok.ownString) continue;
        const text = texts.get(a.span.file)!;
        let from = tok.start;
        while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
        out.push({
          ruleId: 'ineffective-flag',
          span: a.span,
          description: `move \`${a.value}\` before the script \`${ep.value}\``,
          safety: 'safe',
          edits: [
            { file: a.span.file, start: target.start, end: target.start, text: `${a.value} ` },
            { file: a.span.file, start: from, end: tok.end, text: '' },
          ],
        });
      }
    }
    if (inv.runtime !== 'node') continue;
    // --experimental-permission → --permission, where every pinned Node has --permission
    const old = inv.flags.find((f) => f.name === '--experimental-permission');
    if (old) {
      const versions = nodeVersionsFor(model, inv);
      const tok = exact(texts, old.span, old.text);
      if (tok && versions.length && allVersionsIn(versions, '>=22.13.0 <23.0.0 || >=23.5.0')) {
        out.push({ ruleId: 'deprecated-flag', span: old.span, description: 'write `--permission`', safety: 'safe', edits: [{ file: old.span.file, start: tok.start, end: tok.end, text: '--permission' }] });
      }
    }
    // Node fs comma lists: one flag per path
    for (const g of inv.permissions) {
      if ((g.kind !== 'read' && g.kind !== 'write') || g.via !== 'flag' || !/^--allow-fs-(read|write)=[^,]+(,[^,]+)+$/.test(g.text)) continue;
      const tok = exact(texts, g.span, g.text);
      if (!tok || tok.ownString) continue;
      const [flag, list] = [g.text.slice(0, g.text.indexOf('=')), g.text.slice(g.text.indexOf('=') + 1)];
      const d = inv.diagnostics.find((x) => x.code === 'fs-comma-list' && x.span.line === g.span.line);
      out.push({
        ruleId: 'ineffective-flag',
        span: d?.span ?? g.span,
        description: `one \`${flag}\` per path`,
        safety: 'safe',
        edits: [{ file: g.span.file, start: tok.start, end: tok.end, text: list.split(',').map((p) => `${flag}=${p}`).join(' ') }],
      });
    }
  }
  return out;
}

/** Kinds `--fix=all` rewrites per runtime (it leaves the rest as written). */
const REWRITTEN: Record<'deno' | 'node', PermKind[]> = { deno: ['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import'], node: ['read', 'write', 'run', 'worker', 'ffi', 'wasi'] };

/**
 * Import hosts Deno allows with no flag: an import need they cover adds no `--allow-import`
 * (a written one is still narrowed, and `--allow-import=<list>` replaces the defaults, so a list
 * written for other hosts names the default ones the code needs too).
 */
export function defaultImportsCover(g: KindGrant | undefined): boolean {
  return !!g && g.kind === 'import' && g.scope !== 'all' && g.scope.every((h) => DEFAULT_IMPORT_HOSTS.includes(h));
}

/** The words a least-privilege grant is written as (grantWords; Deno scopes as denoScope writes them). */
function wordsFor(g: KindGrant, runtime: Runtime): string[] {
  return grantWords(runtime === 'node' ? g : { ...g, scope: denoScope(g) }, runtime);
}

const PATH_KINDS: PermKind[] = ['read', 'write', 'ffi'];

/**
 * The values a Deno grant lists: a path another listed path lies under is dropped (Deno's path
 * grants cover what is below them: `--allow-write=./scratch` already grants `./scratch/deep`).
 */
export function denoScope(g: KindGrant): KindGrant['scope'] {
  if (g.scope === 'all' || !PATH_KINDS.includes(g.kind)) return g.scope;
  // the query engine decides what a listed path covers (the working folder is the same for all)
  const places = g.scope.map((v) => resolvePath(v, { root: 'cwd', segments: [] }));
  const covers = (a: number, b: number) => !!places[a] && !!places[b] && placeCovers('deno', places[a]!, places[b]!);
  return g.scope.filter((_, i) => !places.some((_p, j) => j !== i && covers(j, i) && !covers(i, j)));
}

/** A Deno grant's values as a comparable key: `all`, or the sorted values. */
function scopeKey(scope: 'all' | string[]): string {
  return scope === 'all' ? 'all' : [...scope].sort().join('\0');
}

/**
 * What a least-privilege rewrite grants, and why it grants more than exact values where it does:
 * `grant what the code reachable from \`main.ts\` needs: \`--allow-read\`; cannot narrow --allow-read: …;
 * left as written: --allow-net (the dependency \`npm:x\` is not read (opaque))`.
 */
function describe(inf: Inference, inv: Invocation, lp: LeastPrivilege, kinds: PermKind[]): string {
  const mine = lp.grants.filter((g) => kinds.includes(g.kind));
  let out = `grant what the code reachable from \`${inf.entrypoint}\` needs: \`${mine.flatMap((g) => wordsFor(g, inv.runtime)).join(' ') || '(nothing)'}\``;
  for (const g of mine) if (g.why) out += `; ${g.why}`;
  const kept = [...new Set(inv.permissions.filter((g) => g.mode === 'allow' && g.via === 'flag' && !g.set && kinds.includes(g.kind) && limited(inf, g.kind)).map((g) => g.kind))];
  if (kept.length) out += `; left as written: ${kept.map((k) => `${flagName(k, inv.runtime)} (${limited(inf, k)!.reason})`).join(', ')}`;
  return out;
}

/**
 * `-A` / `--allow-all` replaced by what the code needs, only when the inference is sure of every
 * kind (no opaque dependency, computed import, eval or escaping `Deno` object): `-A` also grants
 * what nothing could read, such as the imports of a remote module.
 */
function allowAllFix(inf: Inference, inv: Invocation, texts: Texts, shared: Map<string, number>): Fix | undefined {
  if (inv.runtime !== 'deno' || inf.limits.length > 0) return undefined;
  // -A with allow flags: Deno refuses to start; the fix of that is not a rewrite
  if (inv.permissions.some((g) => g.mode === 'allow' && !g.set)) return undefined;
  const lp = leastPrivilege(inf, 'deno');
  if (lp.grants.some((g) => !REWRITTEN.deno.includes(g.kind))) return undefined;
  const words = lp.grants.filter((g) => !defaultImportsCover(g)).flatMap((g) => wordsFor(g, 'deno'));
  if (!words.every(writable)) return undefined;
  if (!literal(inv, texts, shared)) return undefined;
  const edits: Edit[] = [];
  for (const [i, f] of inv.flags.filter((x) => x.name === '--allow-all').entries()) {
    if (f.text !== '-A' && f.text !== '--allow-all') return undefined; // a cluster such as -RA
    const tok = exact(texts, f.span, f.text);
    if (!tok) return undefined;
    const text = texts.get(f.span.file)!;
    const change = i === 0 ? replaceWith(text, placeOf(text, tok.start, tok.end), words) : removal(text, placeOf(text, tok.start, tok.end));
    if (!change) return undefined;
    edits.push({ file: f.span.file, ...change });
  }
  let description = `replace \`${inv.flags.find((x) => x.name === '--allow-all')!.text}\` with what the code reachable from \`${inf.entrypoint}\` needs: \`${words.join(' ') || '(nothing)'}\``;
  for (const g of lp.grants) if (g.why) description += `; ${g.why}`;
  return { ruleId: 'allow-all', span: inv.origin.span, subjectIds: [inv.id], description, safety: 'unsafe', edits };
}

/**
 * Whether every word up to the entrypoint is written literally where its span says (not the
 * expansion of a variable such as `$FLAGS` or `$(FLAGS)`, whose text lives elsewhere and may serve
 * other commands), and no other invocation's word shares its place.
 */
function literal(inv: Invocation, texts: Texts, shared: Map<string, number>): boolean {
  const end = inv.entrypoint ? inv.argv.indexOf(inv.entrypoint) : -1;
  if (end < 0) return false;
  const words = inv.argv.slice(0, end + 1);
  return words.every((t) => !t.dynamic && (shared.get(spanKey(t.span)) ?? 0) <= 1) && words.every((t) => exact(texts, t.span, t.value) !== undefined);
}
const spanKey = (s: Span) => `${s.file}:${s.line}:${s.column}:${s.endLine}:${s.endColumn}`;

function leastPrivilegeFix(inf: Inference, inv: Invocation, texts: Texts, shared: Map<string, number>): Fix | undefined {
  if (inv.implicitAll || !inv.takesPermissions || !inv.entrypoint || inv.entrypoint.dynamic) return undefined;
  // (what needs no text is decided first: the file is read again only for an invocation that may get a fix)
  if (inv.runtime === 'node' && !inv.node?.enabled) return undefined;
  // grants that live in a permission set: that fix is the set's
  if (inv.permissionSet) return undefined;
  if (inv.flags.some((f) => f.name === '--allow-all')) return allowAllFix(inf, inv, texts, shared);
  const kinds = REWRITTEN[inv.runtime];
  const lp = leastPrivilege(inf, inv.runtime);
  const wanted = new Map(lp.grants.filter((g) => kinds.includes(g.kind)).map((g) => [g.kind, wordsFor(g, inv.runtime)]));
  for (const words of wanted.values()) if (!words.every(writable)) return undefined;
  const seen = new Set<PermKind>();
  const mine = inv.permissions.filter((g) => g.mode === 'allow' && g.via === 'flag' && !g.set && kinds.includes(g.kind) && !limited(inf, g.kind));
  // kinds already written as wanted stay: Node's one flag per path in any order, Deno's one flag with the same values in any order (or `-R` for all)
  const same = (k: PermKind) => {
    const written = mine.filter((g) => g.kind === k);
    if (JSON.stringify(written.map((g) => g.text).sort()) === JSON.stringify([...(wanted.get(k) ?? [])].sort())) return true;
    const want = lp.grants.find((g) => g.kind === k);
    if (inv.runtime !== 'deno' || written.length !== 1 || !want) return false;
    const w = written[0]!;
    return scopeKey(w.scope === 'all' ? 'all' : w.scope.map((v) => v.value)) === scopeKey(denoScope(want));
  };
  const missingKind = (k: PermKind) => !inv.permissions.some((g) => g.kind === k && g.mode === 'allow') && !defaultImportsCover(lp.grants.find((g) => g.kind === k));
  // every flag already as wanted and no kind missing: no edit (decided without the text)
  if (mine.every((g) => same(g.kind)) && ![...wanted.keys()].some((k) => !mine.some((g) => g.kind === k) && missingKind(k))) return undefined;
  if (!literal(inv, texts, shared)) return undefined;
  const edits: Edit[] = [];
  for (const g of mine) {
    if (same(g.kind)) {
      seen.add(g.kind);
      continue;
    }
    const tok = exact(texts, g.span, g.text);
    if (!tok) return undefined; // a token written with escapes: leave the whole invocation alone
    const text = texts.get(g.span.file)!;
    const place = placeOf(text, tok.start, tok.end);
    const want = wanted.get(g.kind);
    // a second flag of the kind, or a kind nothing uses: remove it (with its separator)
    const change = seen.has(g.kind) || !want ? removal(text, place) : want.length === 1 && want[0] === g.text ? null : replaceWith(text, place, want);
    if (change === undefined) return undefined;
    if (change) edits.push({ file: g.span.file, ...change });
    seen.add(g.kind);
  }
  const missing = [...wanted].filter(([k]) => !seen.has(k) && missingKind(k));
  if (missing.length) {
    const ep = exact(texts, inv.entrypoint.span, inv.entrypoint.value);
    if (!ep) return undefined;
    const text = texts.get(inv.entrypoint.span.file)!;
    const change = insertBefore(text, placeOf(text, ep.start, ep.end), missing.flatMap(([, w]) => w));
    if (!change) return undefined;
    edits.push({ file: inv.entrypoint.span.file, ...change });
  }
  if (!edits.length) return undefined;
  return {
    ruleId: 'over-grant',
    span: inv.origin.span,
    subjectIds: [inv.id],
    description: describe(inf, inv, lp, kinds),
    safety: 'unsafe',
    edits,
  };
}

export function computeFixes(model: Model, texts: Texts, all: boolean): Fix[] {
  const out = safeFixes(model, texts);
  if (all) {
    // how many invocations each written word serves (a variable's text can serve several)
    const shared = new Map<string, number>();
    for (const inv of model.invocations) for (const k of new Set(inv.argv.map((t) => spanKey(t.span)))) shared.set(k, (shared.get(k) ?? 0) + 1);
    for (const inf of model.inferences ?? []) {
      const inv = model.invocations.find((i) => i.id === inf.subjectId);
      const f = inv && leastPrivilegeFix(inf, inv, texts, shared);
      if (f) out.push(f);
    }
    out.push(...permissionSetFixes(model, texts, REWRITTEN.deno));
  }
  return out;
}

/** Apply edits to texts; edits that overlap an earlier one are dropped. Returns the new texts of the changed files. */
export function applyFixes(fixes: Fix[], texts: Texts): { changed: Map<string, string>; applied: Fix[]; skipped: Fix[] } {
  const byFile = new Map<string, { start: number; end: number }[]>();
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  for (const f of fixes) {
    // a file that changed since the scan gives no text (src/file-texts.ts): its fixes are not applied
    if (f.edits.some((e) => texts.get(e.file) === undefined)) {
      skipped.push(f);
      continue;
    }
    const clash = f.edits.some((e) => (byFile.get(e.file) ?? []).some((r) => e.start < r.end && r.start < e.end) || (byFile.get(e.file) ?? []).some((r) => e.start === e.end && r.start === e.start));
    if (clash) {
      skipped.push(f);
      continue;
    }
    for (const e of f.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), { start: e.start, end: e.end }]);
    applied.push(f);
  }
  const changed = new Map<string, string>();
  const edits = applied.flatMap((f) => f.edits);
  for (const file of new Set(edits.map((e) => e.file))) {
    let text = texts.get(file)!;
    const mine = edits.filter((e) => e.file === file).sort((a, b) => b.start - a.start || b.end - a.end);
    for (const e of mine) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    changed.set(file, text);
  }
  return { changed, applied, skipped };
}

/** Line operations turning `a` into `b`: the common prefix and suffix, and a longest-common-subsequence diff of the lines between (fixes change few lines). */
function lineOps(a: string[], b: string[]): { op: ' ' | '-' | '+'; line: string }[] {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  const x = a.slice(p, a.length - s);
  const y = b.slice(p, b.length - s);
  // lcs[i][j]: length of the LCS of x[i..] and y[j..]
  const lcs = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const mid: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      mid.push({ op: ' ', line: x[i++]! });
      j++;
    } else if (j >= y.length || (i < x.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) mid.push({ op: '-', line: x[i++]! });
    else mid.push({ op: '+', line: y[j++]! });
  }
  return [...a.slice(0, p).map((line) => ({ op: ' ' as const, line })), ...mid, ...a.slice(a.length - s).map((line) => ({ op: ' ' as const, line }))];
}

/** A unified diff of the changed files (hunks with one line of context). */
export function unifiedDiff(before: Texts, after: Map<string, string>): string {
  let out = '';
  for (const [file, next] of [...after].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ops = lineOps(before.get(file)!.split('\n'), next.split('\n'));
    out += `--- a/${file}\n+++ b/${file}\n`;
    let k = 0;
    while (k < ops.length) {
      if (ops[k]!.op === ' ') {
        k++;
        continue;
      }
      // a hunk: changes no more than two context lines apart, with one line of context around
      const from = Math.max(0, k - 1);
      let to = k;
      while (to < ops.length && (ops[to]!.op !== ' ' || ops.slice(to, to + 3).some((o) => o.op !== ' '))) to++;
      to = Math.min(ops.length, to + 1);
      const hunk = ops.slice(from, to);
      const aStart = ops.slice(0, from).filter((o) => o.op !== '+').length + 1;
      const bStart = ops.slice(0, from).filter((o) => o.op !== '-').length + 1;
      out += `@@ -${aStart},${hunk.filter((o) => o.op !== '+').length} +${bStart},${hunk.filter((o) => o.op !== '-').length} @@\n`;
      for (const o of hunk) out += `${o.op}${o.line}\n`;
      k = to;
    }
  }
  return out;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

function within(outer: Span, inner: Span): boolean {
  if (outer.file !== inner.file) return false;
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return before(outer.line, outer.column, inner.line, inner.column) && before(inner.endLine, inner.endColumn, outer.endLine, outer.endColumn);
}

/** Findings a least-privilege rewrite answers, by the subject it rewrites. */
const SUBJECT_RULES = new Set(['over-grant', 'under-grant', 'allow-all']);

/**
 * The invocations whose inferences (`model.inferences`) the fixes `attachFixes` gives these
 * findings are computed from: a least-privilege rewrite of a subject reads the subject's own; a
 * permission set's rewrite reads every loader's (src/fix/sets.ts). The fixes of these findings
 * are the same with only those inferences as with all of them.
 */
export function inferencesFixesRead(model: Model, findings: readonly Finding[]): Set<string> {
  const subjects = new Set<string>();
  for (const f of findings) if (f.subject && SUBJECT_RULES.has(f.ruleId)) subjects.add(f.subject.id);
  const out = new Set<string>();
  const sets = new Set<string>(subjects);
  for (const inv of model.invocations) {
    if (!subjects.has(inv.id)) continue;
    out.add(inv.id);
    if (inv.permissionSet?.declarationId) sets.add(inv.permissionSet.declarationId);
  }
  for (const inv of model.invocations) if (inv.permissionSet?.declarationId && sets.has(inv.permissionSet.declarationId)) out.add(inv.id);
  return out;
}

/** Findings with the fixes that answer them (same rule and place; least-privilege rewrites on every over-/under-grant finding of the subject). */
export function attachFixes(findings: Finding[], fixes: Fix[], texts: Texts): Finding[] {
  const shown = (f: Fix): FindingFix => ({
    description: f.description,
    safety: f.safety,
    replacements: f.edits.map((e) => {
      const text = texts.get(e.file)!;
      const a = position(text, e.start);
      const b = position(text, e.end);
      return { file: e.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, text: e.text };
    }),
  });
  return findings.map((finding) => {
    const mine = fixes.filter((f) =>
      f.subjectIds ? SUBJECT_RULES.has(finding.ruleId) && f.subjectIds.includes(finding.subject?.id ?? '') : f.ruleId === finding.ruleId && (within(finding.span, f.span) || within(f.span, finding.span)),
    );
    const offered = mine.filter((f) => f.edits.every((e) => texts.get(e.file) !== undefined));
    return offered.length ? { ...finding, fixes: offered.map(shown) } : finding;
  });
}
