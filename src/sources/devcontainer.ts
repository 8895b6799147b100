/**
 * Dev containers (`.devcontainer/devcontainer.json`, `.devcontainer/<name>/devcontainer.json`,
 * `.devcontainer.json`; JSONC): the lifecycle commands `initializeCommand`, `onCreateCommand`,
 * `updateContentCommand`, `postCreateCommand`, `postStartCommand` and `postAttachCommand`. A
 * string runs through `/bin/sh -c` (shell text), an array is an argv run without a shell, and an
 * object holds named commands of either form that run in parallel. They run in the workspace
 * folder (the one holding `.devcontainer`), on a developer's machine: development context.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import type { Token } from '../model.js';
import { MappedText } from '../text.js';
import { addArgv, addShellText } from './commands.js';
import { parseJsonc, props, spanOf } from './deno-json.js';
import type { ScanContext, Source, SourceFile } from './types.js';
import { DEVCONTAINER_FILES as FILES, head } from './registry.js';

const LIFECYCLE = ['initializeCommand', 'onCreateCommand', 'updateContentCommand', 'postCreateCommand', 'postStartCommand', 'postAttachCommand'];

export const devcontainerSource: Source = {
  ...head('devcontainer'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const { root, errors } = parseJsonc(file);
    for (const e of errors.slice(0, 1)) ctx.model.problems.push({ file: file.path, ...e, source: 'devcontainer' });
    if (!root || errors.length || root.type !== 'object') return;
    const m = FILES.exec(file.path)!;
    const workspace = file.path.slice(0, m.index);
    const context = { kind: ctx.contextFor(file.path, 'development'), cwd: workspace };
    const run = (name: string, key: JsonNode, value: JsonNode) => {
      const site = { origin: { file: file.path, span: file.index.span(key.offset, value.offset + value.length), source: 'devcontainer' as const, name }, context, id: `${file.path}#${name}` };
      if (value.type === 'string') addShellText(MappedText.jsonString(file.index, value.offset, value.length), site, ctx);
      else if (value.type === 'array') {
        const argv: Token[] = (value.children ?? []).filter((c) => c.type === 'string').map((c) => {
          const t = MappedText.jsonString(file.index, c.offset, c.length);
          return { value: t.text, span: t.text.length ? t.span(0, t.text.length) : spanOf(file, c) };
        });
        if (argv.length) addArgv(argv, site, ctx);
      }
    };
    for (const [name, k, v] of props(root)) {
      if (!LIFECYCLE.includes(name)) continue;
      if (v.type === 'object') for (const [sub, sk, sv] of props(v)) run(`${name}.${sub}`, sk, sv);
      else run(name, k, v);
    }
  },
};
