/**
 * VS Code `.vscode/tasks.json` and `.vscode/launch.json` (JSONC, through jsonc-parser), and the
 * same shapes in Zed's `.zed/tasks.json` and `.zed/debug.json`:
 *
 * - a task runs `command` with `args` (`"type": "shell"`: the command is shell text and each arg
 *   one more word; `"type": "process"`: the command is the program); the Deno extension's
 *   `"type": "deno"` tasks run `deno <command> <args>`; `options.cwd` and `options.env` apply;
 * - a launch configuration (`"request": "launch"`) runs `runtimeExecutable` (node when unset)
 *   with `runtimeArgs`, then `program`, then `args`; `"type": "node-terminal"` runs `command` as
 *   shell text.
 *
 * Zed's `debug.json` scenarios take the same launch fields (its JavaScript adapter is VS Code's),
 * labelled by `label`, and may name a `build` task (`command` + `args`) run before the debuggee.
 *
 * `${workspaceFolder}` is the folder holding `.vscode` / `.zed` (`$ZED_WORKTREE_ROOT` in Zed);
 * every other `${…}` (`${input:…}`, `${env:…}`, `${file}`) and Zed's `$ZED_FILE`, `$ZED_SYMBOL`,
 * … are not known statically.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import type { EnvSetting, InvocationContext, Origin, Token } from '../model.js';
import { splitEnvString } from '../shell/index.js';
import { MappedText } from '../text.js';
import { addArgv, addShellText } from './commands.js';
import { parseJsonc, props, spanOf } from './deno-json.js';
import { joinPath, type ScanContext, type Source, type SourceFile } from './types.js';
import { EDITOR_FILES as FILES, head } from './registry.js';

const WORKSPACE = /\$\{workspaceFolder\}|\$\{workspaceRoot\}|\$ZED_WORKTREE_ROOT|\$\{ZED_WORKTREE_ROOT\}/g;

export const vscodeSource: Source = {
  ...head('editor'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const { root, errors } = parseJsonc(file);
    for (const e of errors.slice(0, 1)) ctx.model.problems.push({ file: file.path, ...e, source: 'editor' });
    if (!root || errors.length) return;
    const m = FILES.exec(file.path)!;
    const workspace = file.path.slice(0, Math.max(0, m.index)); // the folder that holds .vscode / .zed
    const kind = ctx.contextFor(file.path, 'development');
    const r = new Reader(file, workspace);
    const isLaunch = m[3] === 'launch' || m[3] === 'debug';
    const list = root.type === 'array' ? root : child(root, isLaunch ? 'configurations' : 'tasks');
    (list?.children ?? []).forEach((entry, k) => {
      if (entry.type !== 'object') return;
      const label = r.str(child(entry, isLaunch ? 'name' : 'label'))?.text ?? r.str(child(entry, 'label'))?.text ?? `${k + 1}`;
      const options = child(entry, 'options');
      const cwdText = r.str(child(options, 'cwd') ?? child(entry, 'cwd'))?.text;
      const cwd = cwdText ? r.path(cwdText) : workspace;
      const context: InvocationContext = { kind, cwd: cwd ?? workspace };
      const origin: Origin = { file: file.path, span: spanOf(file, entry), source: 'editor', name: label };
      const envNode = child(options, 'env') ?? child(entry, 'env');
      const env: EnvSetting[] = props(envNode).flatMap(([name, , v]) => {
        const t = r.token(v);
        return t ? [{ name, value: t, span: spanOf(file, v.parent!), origin, context }] : [];
      });
      ctx.model.env.push(...env);
      const site = { origin, context, id: `${file.path}#${label}`, ...(env.length ? { inheritedEnv: env } : {}) };
      const args = r.list(child(entry, 'args'));
      if (isLaunch) {
        // Zed: a `build` task runs before the debuggee (`{ command, args, cwd, env }` like a Zed task)
        const build = child(entry, 'build');
        if (build?.type === 'object') {
          const command = r.str(child(build, 'command'));
          const buildArgs = r.list(child(build, 'args'));
          const buildSite = { ...site, id: `${file.path}#${label}:build` };
          if (command && !buildArgs.length) addShellText(command.mapped, buildSite, ctx);
          else if (command) addArgv([...splitEnvString(command.mapped), ...buildArgs], buildSite, ctx);
        }
        const type = r.str(child(entry, 'type'))?.text;
        if (type === 'node-terminal') {
          const command = r.str(child(entry, 'command'));
          if (command) addShellText(command.mapped, site, ctx);
          return;
        }
        if (r.str(child(entry, 'request'))?.text === 'attach') return;
        const exe = r.token(child(entry, 'runtimeExecutable'));
        const program = r.token(child(entry, 'program'));
        const runtimeArgs = r.list(child(entry, 'runtimeArgs'));
        if (!exe && !program && !runtimeArgs.length) return;
        const node: Token = exe ?? { value: 'node', span: spanOf(file, child(entry, 'type') ?? entry) };
        addArgv([node, ...runtimeArgs, ...(program ? [program] : []), ...args], site, ctx);
        return;
      }
      const type = r.str(child(entry, 'type'))?.text;
      const command = r.str(child(entry, 'command'));
      if (type === 'deno') {
        // the Deno extension: `deno <command> <args>`
        const sub = r.token(child(entry, 'command'));
        if (sub) addArgv([{ value: 'deno', span: spanOf(file, child(entry, 'type')!) }, sub, ...args], site, ctx);
        return;
      }
      if (!command || (type !== undefined && type !== 'shell' && type !== 'process')) return; // npm, typescript, … tasks run no command line of their own
      if (!args.length && type !== 'process') {
        addShellText(command.mapped, site, ctx);
        return;
      }
      const words = type === 'process' ? [r.token(child(entry, 'command'))!] : splitEnvString(command.mapped);
      addArgv([...words, ...args], site, ctx);
    });
  },
};

function child(n: JsonNode | undefined, key: string): JsonNode | undefined {
  return props(n).find(([k]) => k === key)?.[2];
}

class Reader {
  constructor(
    readonly file: SourceFile,
    readonly workspace: string,
  ) {}

  /** A JSON string's text with `${workspaceFolder}` (and `$ZED_WORKTREE_ROOT`) read as the workspace folder. */
  str(n: JsonNode | undefined): { text: string; mapped: MappedText } | undefined {
    if (!n || n.type !== 'string') return undefined;
    const mapped = MappedText.jsonString(this.file.index, n.offset, n.length);
    return { text: mapped.text, mapped: this.expand(mapped) };
  }

  private expand(m: MappedText): MappedText {
    if (!m.text.includes('$')) return m;
    const root = this.workspace ? `./${this.workspace}` : '.';
    let text = '';
    const offsets: number[] = [];
    let last = 0;
    for (const hit of m.text.matchAll(WORKSPACE)) {
      const at = hit.index!;
      for (let i = last; i < at; i++) {
        text += m.text[i];
        offsets.push(m.fileOffset(i));
      }
      for (let i = 0; i < root.length; i++) {
        text += root[i];
        offsets.push(m.fileOffset(at));
      }
      last = at + hit[0].length;
    }
    for (let i = last; i < m.text.length; i++) {
      text += m.text[i];
      offsets.push(m.fileOffset(i));
    }
    offsets.push(m.fileOffset(m.text.length));
    return new MappedText(text, offsets, m.index);
  }

  /** One word: a string (other `${…}` are unknown), or undefined. */
  token(n: JsonNode | undefined): Token | undefined {
    const s = this.str(n);
    if (!s) return undefined;
    const tok: Token = { value: s.mapped.text, span: s.mapped.text.length ? s.mapped.span(0, s.mapped.text.length) : spanOf(this.file, n!) };
    const rest = tok.value.match(/\$\{[^}]*\}/g);
    if (rest) tok.dynamic = [{ kind: 'template', of: 'vscode', exprs: rest }];
    // Zed's task variables (`$ZED_FILE`, `$ZED_SYMBOL`, …) are filled in when the task starts
    const zed = tok.value.match(/\$ZED_[A-Z_]+|\$\{ZED_[A-Z_]+(?::[^}]*)?\}/g);
    if (zed) tok.dynamic = [...(tok.dynamic ?? []), { kind: 'template', of: 'zed', exprs: zed }];
    return tok;
  }

  list(n: JsonNode | undefined): Token[] {
    if (!n) return [];
    if (n.type === 'string') return [this.token(n)!];
    return (n.children ?? []).map((c) => this.token(c)).filter((t): t is Token => !!t);
  }

  /** A cwd as a repository path: `${workspaceFolder}/app` → `<workspace>/app`; undefined when not known. */
  path(text: string): string | undefined {
    const t = text.replace(WORKSPACE, '.');
    if (t.includes('${') || t.startsWith('/')) return undefined;
    return joinPath(this.workspace, t);
  }
}
