/**
 * Nx (`project.json`): the commands of every target that runs shell commands — the `command`
 * shorthand, and `nx:run-commands` options `command` / `commands` (strings or `{ command }`)
 * with `options.cwd` (relative to the workspace root, the folder holding `nx.json`; taken as the
 * repository root) — through the shell parser; `nx:run-script` runs the package.json script
 * `options.script` of the project's folder through the package manager, recorded as that command
 * (`npm run build`) so the link phase follows it to the script, as for turbo.json. Targets with
 * other executors run code, not a command line. Context: development.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import { MappedText } from '../text.js';
import { addArgv, addShellText } from './commands.js';
import { rootScriptRunner } from './turbo.js';
import { parseJsonc, props } from './deno-json.js';
import { dirOf, joinPath, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

const get = (n: JsonNode | undefined, key: string) => props(n).find(([k]) => k === key);

export const nxSource: Source = {
  ...head('nx'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const { root, errors } = parseJsonc(file);
    if (!root || errors.length || root.type !== 'object' || !get(root, 'targets')) return; // not an Nx project file
    const kind = ctx.contextFor(file.path, 'development');
    for (const [target, , t] of props(get(root, 'targets')![2])) {
      const executor = get(t, 'executor')?.[2].value as string | undefined;
      const options = get(t, 'options')?.[2];
      const cwdText = get(options, 'cwd')?.[2];
      const cwd = cwdText?.type === 'string' && !String(cwdText.value).includes('{') ? joinPath('', String(cwdText.value)) : dirOf(file.path);
      const commands: JsonNode[] = [];
      const shorthand = get(t, 'command')?.[2];
      if (shorthand) commands.push(shorthand);
      if (executor === 'nx:run-commands' || executor === '@nrwl/workspace:run-commands' || executor === '@nx/workspace:run-commands') {
        const one = get(options, 'command')?.[2];
        if (one) commands.push(one);
        for (const c of get(options, 'commands')?.[2].children ?? []) commands.push(c.type === 'object' ? get(c, 'command')?.[2] ?? c : c);
      }
      if (executor === 'nx:run-script' || executor === '@nrwl/workspace:run-script') {
        // runs the package.json script of the project's folder through the package manager, like turbo: followed there
        const script = get(options, 'script')?.[2];
        if (script?.type === 'string') {
          const at = { value: '', span: file.index.span(script.offset, script.offset + script.length) };
          addArgv([{ ...at, value: rootScriptRunner('', ctx) }, { ...at, value: 'run' }, { ...at, value: String(script.value) }], {
            origin: { file: file.path, span: at.span, source: 'nx', name: target },
            context: { kind, cwd: dirOf(file.path) },
            id: `${file.path}#${target}`,
          }, ctx);
        }
      }
      commands.forEach((c, k) => {
        if (c.type !== 'string') return;
        addShellText(
          MappedText.jsonString(file.index, c.offset, c.length),
          {
            origin: { file: file.path, span: file.index.span(c.offset, c.offset + c.length), source: 'nx', name: target },
            context: { kind, cwd },
            id: `${file.path}#${target}${commands.length > 1 ? `:${k + 1}` : ''}`,
          },
          ctx,
        );
      });
    }
  },
};
