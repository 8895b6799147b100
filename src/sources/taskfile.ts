/**
 * Task (`Taskfile.yml`, `Taskfile.yaml`, `Taskfile.dist.yml`, `taskfile.yml`): the `cmds` of every
 * task — strings and `{ cmd: … }` entries through the shell parser — with the task's `dir`, and
 * `{ task: <name> }` calls left to the task they name. `{{.VAR}}` template values are not known
 * statically. Context: development.
 */
import { maskBraceTemplates, type MappedText } from '../text.js';
import { addShellText } from './commands.js';
import { mark, restorePlaceholders } from './github-actions.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { dirOf, joinPath, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

const PLACEHOLDER = 'PERMLINT_TASK_';

/** `{{ … }}` Go-template values become unknown shell variables (their text is restored in messages). */
const maskTemplates = (src: MappedText) => maskBraceTemplates(src, PLACEHOLDER);

export const taskfileSource: Source = {
  ...head('taskfile'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const doc = parseYaml(file, ctx, 'taskfile').docs[0];
    if (!doc) return;
    const r = new YReader(file, doc);
    const kind = ctx.contextFor(file.path, 'development');
    for (const task of r.pairs(r.get(doc.contents as YNode, 'tasks'))) {
      const dir = r.str(r.get(task.value, 'dir'));
      const cwd = dir && !dir.includes('{{') && !dir.startsWith('/') ? joinPath(dirOf(file.path), dir) : dirOf(file.path);
      // `task: [cmd, …]` shorthand, or `cmds:`
      const cmds = r.isSeq(task.value) ? task.value : r.get(task.value, 'cmds');
      r.items(cmds).forEach((c, k) => {
        const node = r.isMap(c) ? r.get(c, 'cmd') : c;
        const text = node ? r.text(node) : undefined;
        if (!text) return;
        const masked = maskTemplates(text);
        const before = mark(ctx.model);
        addShellText(
          masked.text,
          {
            origin: { file: file.path, span: r.span(node), source: 'taskfile', name: task.key },
            context: { kind, cwd },
            id: `${file.path}#${task.key}:${k + 1}`,
            shell: { describeUnknown: (n) => (n.startsWith(PLACEHOLDER) ? { kind: 'template', of: 'task', exprs: [masked.exprs[Number(n.slice(PLACEHOLDER.length))] ?? ''] } : { kind: 'variable', of: 'shell', name: n }) },
          },
          ctx,
        );
        restorePlaceholders(ctx.model, before, PLACEHOLDER, masked.exprs);
      });
    }
  },
};
