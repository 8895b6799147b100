/**
 * OpenRC service scripts (`#!/sbin/openrc-run`, found by content: `/etc/init.d/<name>`,
 * `<name>.initd` in packaging trees): the daemon `command` with `command_args` (split like the
 * shell does when start-stop-daemon runs it), run as `command_user` (recorded as written; the
 * container semantics decide what it means) in `directory`. The script is shell: its variables are read
 * by the shell parser (earlier literal assignments are known, others are unknown words), and
 * commands written in its functions (`start_pre() { … }`) are read as shell too. Context:
 * deployment.
 */
import type { ContainerContext, InvocationContext, Token } from '../model.js';
import { parseShell, splitEnvString } from '../shell/index.js';
import { MappedText } from '../text.js';
import { addArgv, addShellText, tokenText } from './commands.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { OPENRC_SHEBANG as SHEBANG, head } from './registry.js';


export const openrcSource: Source = {
  ...head('openrc'),
  parse(file: SourceFile, ctx: ScanContext): void {
    if (!SHEBANG.test(file.text)) return;
    const kind = ctx.contextFor(file.path, 'deployment');
    const base = file.path.slice(file.path.lastIndexOf('/') + 1).replace(/\.(initd|openrc|init)$/, '');
    const whole = MappedText.verbatim(file.index, 0, file.text.length);
    const firstLine = file.text.search(/\r?\n|$/);
    const scriptOrigin = { file: file.path, span: file.index.span(0, firstLine), source: 'openrc' as const, name: base };
    // commands written out in the script's functions
    addShellText(whole, { origin: scriptOrigin, context: { kind, cwd: dirOf(file.path), container: { platform: 'openrc' } }, id: `${file.path}#script`, shell: { trackAssignments: true } }, ctx);

    const parsed = parseShell(whole, { trackAssignments: true });
    if (parsed.error) return; // reported by the read above
    const vars = new Map<string, (typeof parsed.assignments)[number]>();
    for (const a of parsed.assignments) vars.set(a.name, a); // the last assignment wins, as in the script
    const command = vars.get('command');
    if (!command || !command.value.value) return;

    const container: ContainerContext = { platform: 'openrc' };
    const user = vars.get('command_user');
    if (user?.value.value && !user.value.dynamic) container.user = { value: user.value.value, span: user.span, text: `command_user=${user.value.value}` };
    const dir = vars.get('directory')?.value;
    if (dir?.value.startsWith('/') && !dir.dynamic) container.workdir = dir.value;
    const context: InvocationContext = { kind, cwd: dirOf(file.path), container };

    // `command_args` is expanded unquoted by start-stop-daemon: split into words; a piece holding an unknown value stays unknown
    const argsTok = vars.get('command_args')?.value;
    const args: Token[] = argsTok?.value
      ? splitEnvString(tokenText(argsTok)).map((t) => (argsTok.dynamic && t.value.includes('$') ? { ...t, dynamic: argsTok.dynamic } : t))
      : [];
    addArgv([command.value, ...args], { origin: { file: file.path, span: command.span, source: 'openrc', name: `${base}/command` }, context, id: `${file.path}#command` }, ctx);
  },
};
