/**
 * systemd service units (`*.service`): `ExecStart=`, `ExecStartPre=`, `ExecStartPost=`,
 * `ExecReload=`, `ExecStop=`; `User=`, `WorkingDirectory=`, `Environment=`,
 * `AmbientCapabilities=`. Read line by line as systemd.syntax(7) says: sections, `Key=Value`,
 * `#`/`;` comments, backslash continuations; command lines split with systemd's quoting and
 * `$VAR` / `${VAR}` taken from literal `Environment=` settings.
 */
import type { DynamicReason, ContainerContext, EnvSetting, InvocationContext, Origin, Span, Token } from '../model.js';
import { addArgv } from './commands.js';
import { splitEnvString } from '../shell/index.js';
import { MappedText } from '../text.js';
import { dirOf, type ScanContext, type SourceFile } from './types.js';
import { head } from './registry.js';

const EXEC_KEYS = new Set(['ExecStart', 'ExecStartPre', 'ExecStartPost', 'ExecReload', 'ExecStop', 'ExecStopPost', 'ExecCondition']);

interface Entry {
  section: string;
  key: string;
  keySpan: Span;
  value: MappedText;
  span: Span;
}

function readUnit(file: SourceFile): Entry[] {
  const text = file.text;
  const out: Entry[] = [];
  let section = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = text.length;
    const line = text.slice(i, end).replace(/\r$/, '');
    const trimmed = line.trim();
    const lineStart = i;
    i = end + 1;
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      section = trimmed.slice(1, -1);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const keyAt = lineStart + line.indexOf(key);
    // the value, with continuation lines (a trailing backslash joins the next line with a space)
    let vs = lineStart + eq + 1;
    while (vs < lineStart + line.length && (text[vs] === ' ' || text[vs] === '\t')) vs++;
    let value = '';
    const offsets: number[] = [];
    let cur = { start: vs, end: lineStart + line.length };
    for (;;) {
      const seg = text.slice(cur.start, cur.end);
      const cont = seg.endsWith('\\');
      const body = cont ? seg.slice(0, -1) : seg;
      for (let k = 0; k < body.length; k++) {
        value += body[k];
        offsets.push(cur.start + k);
      }
      if (!cont || i >= text.length) break;
      value += ' ';
      offsets.push(cur.end - 1);
      let e2 = text.indexOf('\n', i);
      if (e2 < 0) e2 = text.length;
      const next = text.slice(i, e2).replace(/\r$/, '');
      const nextStart = i;
      i = e2 + 1;
      if (next.trim().startsWith('#') || next.trim().startsWith(';')) {
        cur = { start: nextStart, end: nextStart };
        continue;
      }
      cur = { start: nextStart, end: nextStart + next.length };
    }
    offsets.push(cur.end);
    const mt = new MappedText(value.replace(/\s+$/, (m) => m), offsets, file.index);
    out.push({ section, key, keySpan: file.index.span(keyAt, keyAt + key.length), value: mt, span: file.index.span(keyAt, cur.end) });
  }
  return out;
}

export const systemdSource = {
  ...head('systemd'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const entries = readUnit(file);
    const kind = ctx.contextFor(file.path, 'deployment');
    const unit = file.path.slice(file.path.lastIndexOf('/') + 1);
    const service = entries.filter((e) => e.section === 'Service');
    const container: ContainerContext = { platform: 'systemd' };
    const context: InvocationContext = { kind, cwd: dirOf(file.path), container };
    const unitOrigin: Origin = { file: file.path, span: file.index.span(0, 0), source: 'systemd', name: unit };

    const env: EnvSetting[] = [];
    const vars = new Map<string, string>();
    for (const e of service) {
      if (e.key === 'User') {
        const v = e.value.text.trim();
        container.user = { value: v, span: e.span, text: `User=${v}` };
      } else if (e.key === 'WorkingDirectory') {
        const v = e.value.text.trim().replace(/^-/, '');
        if (v && v !== '~') container.workdir = v;
      } else if (e.key === 'Environment') {
        for (const w of splitEnvString(e.value)) {
          const eq = w.value.indexOf('=');
          if (eq <= 0) continue;
          const name = w.value.slice(0, eq);
          const value: Token = { value: w.value.slice(eq + 1), span: w.span };
          env.push({ name, value, span: w.span, origin: unitOrigin, context });
          vars.set(name, value.value);
        }
      } else if (e.key === 'AmbientCapabilities') {
        // a leading `~` inverts the list (every capability but these): not an addition we can name
        const caps = e.value.text.trim();
        if (!caps.startsWith('~')) for (const name of caps.split(/\s+/).filter(Boolean)) (container.settings ??= []).push({ fact: 'capability', name, span: e.span, text: `AmbientCapabilities=${caps}` });
      }
    }
    ctx.model.env.push(...env);

    let n = 0;
    for (const e of service) {
      if (!EXEC_KEYS.has(e.key)) continue;
      // prefixes: @ - : + ! !!
      let start = 0;
      while (start < e.value.text.length && /[@\-:+!]/.test(e.value.text[start]!)) start++;
      const text = e.value.slice(start, e.value.text.length);
      const words = splitEnvString(text).map((w) => substitute(w, vars));
      if (!words.length) continue;
      n++;
      const origin: Origin = { file: file.path, span: e.span, source: 'systemd', name: `${unit} ${e.key}` };
      addArgv(words, { origin, context, inheritedEnv: env, id: `${file.path}#${e.key}:${n}` }, ctx);
    }
  },
};

/** systemd's `$VAR` / `${VAR}` from Environment=, `$$` → `$`; `%` specifiers are not known statically. */
function substitute(tok: Token, vars: Map<string, string>): Token {
  if (!tok.value.includes('$') && !tok.value.includes('%')) return tok;
  const unknown: DynamicReason[] = [];
  let value = tok.value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a: string | undefined, b: string | undefined) => {
    if (m === '$$') return '$';
    const name = (a ?? b)!;
    const v = vars.get(name);
    if (v === undefined) {
      unknown.push({ kind: 'variable', of: 'systemd', name });
      return m;
    }
    return v;
  });
  value = value.replace(/%%|%([a-zA-Z])/g, (m, c: string | undefined) => {
    if (m === '%%') return '%';
    unknown.push({ kind: 'variable', of: 'systemd-specifier', name: c! });
    return m;
  });
  const out: Token = { ...tok, value };
  if (unknown.length) out.dynamic = unknown;
  return out;
}
