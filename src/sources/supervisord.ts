/**
 * supervisord (`supervisord.conf`, `supervisor/**.conf`, `supervisor.d/*.ini`, `conf.d/*.conf`
 * holding `[program:…]`): each program's `command=` — split into words as supervisor does
 * (shlex, no shell) — with `directory=`, `environment=` and `user=` (who it runs as: `root` is
 * root evidence for container-privileges). `%(ENV_X)s` and other `%(…)s` expansions are not known
 * statically. The INI format is read line by line by its own definition (sections, `key=value`,
 * `;`/`#` comments, indented continuation lines). Context: deployment.
 */
import type { ContainerContext, EnvSetting, InvocationContext, Token } from '../model.js';
import { splitEnvString } from '../shell/index.js';
import { MappedText } from '../text.js';
import { addArgv } from './commands.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

interface Entry {
  key: string;
  value: MappedText;
  start: number;
  end: number;
}

export const supervisordSource: Source = {
  ...head('supervisord'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const programs = new Map<string, { header: { start: number; end: number }; entries: Map<string, Entry> }>();
    let current: Map<string, Entry> | undefined;
    let last: Entry | undefined;
    let offset = 0;
    for (const line of file.text.split('\n')) {
      const start = offset;
      offset += line.length + 1;
      const text = line.replace(/\r$/, '');
      const trimmed = text.trim();
      if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) continue;
      const section = /^\[([^\]]+)\]/.exec(trimmed);
      if (section && !/^\s/.test(text)) {
        const name = section[1]!;
        current = name.startsWith('program:') ? new Map() : undefined;
        if (current) programs.set(name.slice('program:'.length), { header: { start, end: start + text.length }, entries: current });
        last = undefined;
        continue;
      }
      if (!current) continue;
      if (/^\s/.test(text) && last) {
        // a continuation line belongs to the value above
        last.value = MappedText.verbatim(file.index, last.value.fileOffset(0), start + text.length);
        last.end = start + text.length;
        continue;
      }
      const eq = text.search(/[=:]/);
      if (eq < 0) continue;
      let vs = eq + 1;
      while (vs < text.length && /\s/.test(text[vs]!)) vs++;
      // an inline comment starts with whitespace then `;`
      const semi = text.slice(vs).search(/\s;/);
      const ve = semi < 0 ? text.trimEnd().length : vs + semi;
      last = { key: text.slice(0, eq).trim(), value: MappedText.verbatim(file.index, start + vs, start + Math.max(vs, ve)), start, end: start + text.length };
      current.set(last.key, last);
    }
    const kind = ctx.contextFor(file.path, 'deployment');
    for (const [name, p] of programs) {
      const command = p.entries.get('command');
      if (!command) continue;
      const container: ContainerContext = { platform: 'supervisord' };
      const user = p.entries.get('user');
      if (user) {
        const u = user.value.text.trim();
        const span = file.index.span(user.start, user.end);
        container.user = { value: u, span, text: `user=${u}` };
      }
      const dir = p.entries.get('directory')?.value.text.trim();
      const context: InvocationContext = { kind, cwd: dir && !dir.startsWith('/') && !dir.includes('%(') ? dir : dirOf(file.path) };
      if (container.user) context.container = container;
      if (dir?.startsWith('/')) context.container = { ...container, workdir: dir };
      const origin = { file: file.path, span: file.index.span(command.start, command.end), source: 'supervisord' as const, name };
      const env: EnvSetting[] = [];
      const envEntry = p.entries.get('environment');
      if (envEntry) {
        for (const w of splitEnvString(envEntry.value)) {
          for (const pair of w.value.split(',')) {
            const eq = pair.indexOf('=');
            if (eq > 0) env.push({ name: pair.slice(0, eq).trim(), value: { value: pair.slice(eq + 1), span: w.span }, span: w.span, origin, context });
          }
        }
      }
      ctx.model.env.push(...env);
      const words: Token[] = splitEnvString(command.value).map((t) => (t.value.includes('%(') ? { ...t, dynamic: [{ kind: 'supervisor-expansion' }] } : t));
      addArgv(words, { origin, context, id: `${file.path}#program:${name}`, ...(env.length ? { inheritedEnv: env } : {}) }, ctx);
    }
  },
};
