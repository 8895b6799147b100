/** Output of `permlint audit` and `permlint diff`: json for tools, markdown and stylish for people. */
import { Chalk } from 'chalk';
import { escapeMarkdown, escapeStrings, markdownCode } from '../report/escape.js';
import type { PermKind } from '../model.js';
import { ALL_KINDS, DENO_KINDS } from '../model.js';
import { DEFAULT_IMPORT_HOSTS } from '../grammar/permissions.js';
import { AUDIT_VERSION, type AuditEntry, type PermValue } from './inventory.js';
import { diffExitCode, type AddedEntry, type ChangedEntry, type DiffResult, type EntryRef, type KindChange } from './diff.js';

export const AUDIT_FORMATS = ['stylish', 'json', 'markdown'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface AuditReport {
  version: typeof AUDIT_VERSION;
  invocations: AuditEntry[];
}

// ---------------------------------------------------------------- shared helpers

function isDefaultImports(e: { runtime: string }, kind: PermKind, v: PermValue): boolean {
  return e.runtime === 'deno' && kind === 'import' && Array.isArray(v) && v.length === DEFAULT_IMPORT_HOSTS.length && v.every((h) => DEFAULT_IMPORT_HOSTS.includes(h));
}

/** One cell: `all`, `-` for none, the scopes (shortened to `max` of them when asked). */
function cell(e: { runtime: string }, kind: PermKind, v: PermValue | undefined, denied: 'all' | string[] | undefined, max = Infinity): string {
  if (v === undefined) return '';
  let s: string;
  if (v === 'all') s = 'all';
  else if (v === 'none') s = '-';
  else if (isDefaultImports(e, kind, v)) s = 'default hosts';
  else s = v.length > max ? `${v.slice(0, max).join(', ')} +${v.length - max}` : v.join(', ');
  if (denied && v !== 'none') s += ` (deny ${denied === 'all' ? 'all' : denied.join(', ')})`;
  return s;
}

function what(e: EntryRef | AuditEntry): string {
  if (e.type === 'declaration') return e.declaration ?? 'declaration';
  const parts = [e.runtime === 'deno' ? 'deno' : 'node'];
  if (e.command) parts.push(e.command);
  if (e.entrypoint) parts.push(e.entrypoint);
  return parts.join(' ');
}

function kindsOf(entries: { runtime: string }[]): readonly PermKind[] {
  return entries.some((e) => e.runtime === 'node') ? ALL_KINDS : DENO_KINDS;
}

// text from the tree renders as text (no HTML, links, images, mentions; see report/escape.ts)
const md = escapeMarkdown;
const code = markdownCode;

function contextText(e: AuditEntry): string {
  const parts: string[] = [e.context.kind];
  if (e.context.role) parts.push(`${e.context.role} code`);
  if (e.context.containerUser) parts.push(`user ${e.context.containerUser}`);
  if (e.context.runsAsRoot && !e.context.containerUser) parts.push('root');
  if (e.context.calledBy?.length) parts.push(`run by ${e.context.calledBy.map((c) => `${c.file}:${c.line}`).join(', ')}`);
  return parts.join(', ');
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

// ---------------------------------------------------------------- audit

export function formatAudit(entries: AuditEntry[], format: AuditFormat, color: boolean): string {
  if (format === 'json') return `${JSON.stringify({ version: AUDIT_VERSION, invocations: entries } satisfies AuditReport, null, 2)}\n`;
  if (format === 'markdown') return auditMarkdown(entries);
  return auditStylish(escapeStrings(entries), color);
}

function auditMarkdown(entries: AuditEntry[]): string {
  const kinds = kindsOf(entries);
  const out = ['## Permission inventory', ''];
  if (entries.length === 0) return `${out.join('\n')}No Deno or Node invocations or permission declarations found.\n`;
  out.push(`| Location | Entry | Runs | Context | ${kinds.join(' | ')} |`);
  out.push(`| --- | --- | --- | --- | ${kinds.map(() => '---').join(' | ')} |`);
  for (const e of entries) {
    const cells = kinds.map((k) => {
      const c = cell(e, k, e.permissions[k], e.denied?.[k]);
      return c === 'all' ? '**all**' : md(c);
    });
    const runs = code(what(e)) + (e.implicit ? ` ⚠ ${md(e.implicit)}` : '');
    out.push(`| ${code(`${e.file}:${e.line}`)} | ${md(e.key)} | ${runs} | ${md(contextText(e))} | ${cells.join(' | ')} |`);
  }
  out.push('', `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}. \`-\` none, **all** unrestricted, "default hosts" Deno's built-in import allowlist; empty cells: the runtime has no such permission.`, '');
  return out.join('\n');
}

function auditStylish(entries: AuditEntry[], color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  if (entries.length === 0) return 'No Deno or Node invocations or permission declarations found.\n';
  const kinds = kindsOf(entries);
  const rows = [['location', 'entry', 'runs', 'context', ...kinds]];
  for (const e of entries) rows.push([`${e.file}:${e.line}`, e.key, what(e), contextText(e), ...kinds.map((k) => cell(e, k, e.permissions[k], e.denied?.[k], 2))]);
  const lines = table(rows);
  const out = [c.bold(lines[0]!), ...lines.slice(1).map((l) => l.replace(/(?<=\s)all(?=\s|$)/g, c.red('all')))];
  const implicit = entries.filter((e) => e.implicit);
  if (implicit.length) {
    out.push('', c.bold('implicit grants:'));
    for (const e of implicit) out.push(`  ${e.file}:${e.line} ${e.key}: ${e.implicit}`);
  }
  const unresolved = entries.filter((e) => e.unresolved?.length);
  if (unresolved.length) {
    out.push('', c.bold('not known statically (not shown above):'));
    for (const e of unresolved) for (const u of e.unresolved!) out.push(`  ${e.file}:${u.line} ${e.key}: ${u.text} (${u.why})`);
  }
  const refused = entries.filter((e) => e.startup && !e.startup.starts);
  if (refused.length) {
    out.push('', c.bold(c.red('the runtime refuses to start:')));
    for (const e of refused) for (const r of e.startup!.refusals ?? []) out.push(`  ${e.file}:${r.line} ${e.key}: ${r.message} [${r.code}]`);
  }
  out.push('', c.dim(`${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}; "-" none, "all" unrestricted, "default hosts" Deno's built-in import allowlist`));
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- diff

export function formatDiff(d: DiffResult, format: AuditFormat, color: boolean): string {
  if (format === 'json') return `${JSON.stringify(d, null, 2)}\n`;
  if (format === 'markdown') return diffMarkdown(d);
  return diffStylish(escapeStrings(d), color);
}

function value(e: { runtime: string }, kind: PermKind, v: PermValue, denied?: 'all' | string[]): string {
  return cell(e, kind, v, denied);
}

function changeText(e: EntryRef, kind: PermKind, ch: KindChange): { before: string; after: string; delta: string } {
  const delta: string[] = [];
  if (ch.gained) delta.push(ch.gained === 'all' ? 'now unrestricted' : `+ ${ch.gained.join(', ')}`);
  if (ch.lost) delta.push(ch.lost === 'all' ? 'no longer unrestricted' : `- ${ch.lost.join(', ')}`);
  if (ch.deniesLifted) delta.push(`deny lifted: ${ch.deniesLifted.join(', ')}`);
  if (ch.deniesAdded) delta.push(`new deny: ${ch.deniesAdded.join(', ')}`);
  return { before: value(e, kind, ch.before, ch.deniedBefore), after: value(e, kind, ch.after, ch.deniedAfter), delta: delta.join('; ') };
}

function where(e: ChangedEntry | AddedEntry): string {
  const moved = 'before' in e && e.before.file !== e.file ? ` (was ${e.before.file}:${e.before.line})` : '';
  return `${e.file}:${e.line}${moved}`;
}

function summary(d: DiffResult): string {
  const n = (x: unknown[], w: string) => `${x.length} ${w}`;
  return [n(d.widened, 'widened'), n(d.narrowed, 'narrowed'), n(d.added, 'added'), n(d.removed, 'removed'), n(d.moved, 'moved')].join(', ');
}

function grantsText(a: AddedEntry): string {
  const parts = (Object.entries(a.permissions) as [PermKind, PermValue][]).filter(([, v]) => v !== 'none').map(([k, v]) => `${k}: ${cell(a, k, v, a.denied?.[k])}`);
  return parts.length ? parts.join('; ') : 'no permissions';
}

/** `development → deployment  (now run by Dockerfile:3; same grants, stronger context)`. */
function contextChangeText(ch: NonNullable<ChangedEntry['context']>): string {
  const by = ch.calledBy?.length ? `now run by ${ch.calledBy.map((x) => `${x.file}:${x.line}`).join(', ')}` : '';
  const order = ['test', 'development', 'ci', 'build', 'deployment'];
  const stronger = order.indexOf(ch.after) > order.indexOf(ch.before);
  return `${ch.before} → ${ch.after}  (${[by, `what it grants now runs in a ${stronger ? 'stronger' : 'weaker'} context`].filter(Boolean).join('; ')})`;
}

function diffStylish(d: DiffResult, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [c.bold(`permissions since ${d.ref} (working tree compared with the ref)`), ''];
  const changed = (title: string, list: ChangedEntry[], paint: (s: string) => string) => {
    if (!list.length) return;
    out.push(paint(`${title} (${list.length})`));
    for (const e of list) {
      out.push(`  ${where(e)}  ${e.key}  ${c.dim(what(e))}`);
      for (const [k, ch] of Object.entries(e.kinds) as [PermKind, KindChange][]) {
        const t = changeText(e, k, ch);
        out.push(`    ${k.padEnd(9)} ${t.before} → ${t.after}${t.delta ? c.dim(`  (${t.delta})`) : ''}`);
      }
      if (e.implicitAfter && e.implicitAfter !== e.implicitBefore) out.push(c.dim(`    now implicit: ${e.implicitAfter}`));
      if (e.context) out.push(`    context   ${contextChangeText(e.context)}`);
    }
    out.push('');
  };
  const listed = (title: string, list: AddedEntry[], paint: (s: string) => string) => {
    if (!list.length) return;
    out.push(paint(`${title} (${list.length})`));
    for (const a of list) {
      out.push(`  ${where(a)}  ${a.key}  ${c.dim(what(a))}`);
      out.push(`    ${grantsText(a)}${a.implicit ? c.dim(`  (${a.implicit})`) : ''}`);
    }
    out.push('');
  };
  changed('widened', d.widened, (s) => c.red.bold(s));
  changed('narrowed', d.narrowed, (s) => c.green.bold(s));
  listed('added', d.added, (s) => c.yellow.bold(s));
  listed('removed', d.removed, (s) => c.bold(s));
  if (d.moved.length) {
    out.push(c.bold(`moved (${d.moved.length})`));
    for (const m of d.moved) out.push(`  ${m.from.file}:${m.from.line} → ${m.to.file}:${m.to.line}`);
    out.push('');
  }
  const widens = diffExitCode(d) === 1;
  out.push(widens ? c.red.bold(`✖ ${summary(d)}`) : c.green(`✔ nothing widened (${summary(d)})`));
  return `${out.join('\n')}\n`;
}

function diffMarkdown(d: DiffResult): string {
  const widens = diffExitCode(d) === 1;
  const out: string[] = [
    `## permlint: permission changes since ${code(d.ref)}`,
    '',
    widens ? `**This change widens what the code may touch**: ${summary(d)}. A security review is needed.` : `Nothing widened: ${summary(d)}.`,
    '',
  ];
  const changed = (title: string, list: ChangedEntry[]) => {
    if (!list.length) return;
    out.push(`### ${title}`, '', '| Location | Entry | Runs | Kind | Before | After | Change |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const e of list) {
      for (const [k, ch] of Object.entries(e.kinds) as [PermKind, KindChange][]) {
        const t = changeText(e, k, ch);
        out.push(`| ${code(where(e))} | ${md(e.key)} | ${code(what(e))} | ${k} | ${md(t.before)} | ${md(t.after)} | ${md(t.delta)} |`);
      }
      if (e.context) out.push(`| ${code(where(e))} | ${md(e.key)} | ${code(what(e))} | context | ${e.context.before} | ${e.context.after} | ${md(contextChangeText(e.context).replace(/^\S+ → \S+\s*/, ''))} |`);
    }
    out.push('');
  };
  const listed = (title: string, list: AddedEntry[]) => {
    if (!list.length) return;
    out.push(`### ${title}`, '', '| Location | Entry | Runs | Permissions |', '| --- | --- | --- | --- |');
    for (const a of list) out.push(`| ${code(where(a))} | ${md(a.key)} | ${code(what(a))} | ${md(grantsText(a))}${a.implicit ? ` (${md(a.implicit)})` : ''} |`);
    out.push('');
  };
  changed('Widened', d.widened);
  changed('Narrowed', d.narrowed);
  listed('Added', d.added);
  listed('Removed', d.removed);
  if (d.moved.length) {
    out.push('### Moved', '', '| From | To |', '| --- | --- |');
    for (const m of d.moved) out.push(`| ${code(`${m.from.file}:${m.from.line}`)} | ${code(`${m.to.file}:${m.to.line}`)} |`);
    out.push('');
  }
  return out.join('\n');
}
