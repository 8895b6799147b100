/**
 * Azure Pipelines (`azure-pipelines.yml`, `azure-pipelines*.yml`, `.azure-pipelines/*.yml`):
 * every `script:` and `bash:` step (stages → jobs → steps, jobs → steps, or steps; deployment
 * strategies too) and the inline script of `CmdLine@2` / `Bash@3` tasks, with `workingDirectory`.
 * `${{ … }}` template expressions are unknown words; `$(var)` macros read as command
 * substitutions, unknown as well. `pwsh` / `powershell` steps are not shell text. Context: ci.
 */
import type { InvocationContext } from '../model.js';
import { addScripts } from './ci-yaml.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { dirOf, joinPath, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

export const azurePipelinesSource: Source = {
  ...head('azure-pipelines'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const doc = parseYaml(file, ctx, 'azure-pipelines').docs[0];
    if (!doc) return;
    const r = new YReader(file, doc);
    const kind = ctx.contextFor(file.path, 'ci');
    const cwd = file.path.includes('.azure-pipelines/') ? dirOf(dirOf(file.path)) : dirOf(file.path);
    let n = 0;
    const visit = (node: YNode | undefined, depth: number) => {
      if (!node || depth > 16) return;
      if (r.isSeq(node)) {
        r.items(node).forEach((i) => visit(i, depth + 1));
        return;
      }
      if (!r.isMap(node)) return;
      const task = r.str(r.get(node, 'task'));
      const inputs = r.get(node, 'inputs');
      const inlineTask = task && /^(CmdLine|Bash)@\d+$/.test(task) && (task.startsWith('CmdLine') || (r.str(r.get(inputs, 'targetType')) ?? 'filePath').toLowerCase() === 'inline');
      const script = r.get(node, 'script') ?? r.get(node, 'bash') ?? (inlineTask ? r.get(inputs, 'script') : undefined);
      if (script && r.text(script)) {
        n++;
        const wd = r.str(r.get(node, 'workingDirectory') ?? r.get(inputs, 'workingDirectory'));
        const context: InvocationContext = { kind, cwd: wd && !wd.includes('$') && !wd.startsWith('/') ? joinPath(cwd, wd) : cwd };
        const name = r.str(r.get(node, 'displayName')) ?? r.str(r.get(node, 'name')) ?? `step ${n}`;
        addScripts(r, script, { source: 'azure-pipelines', name, context, id: `${file.path}#step:${n}` }, ctx);
        return;
      }
      for (const e of r.pairs(node)) if (e.key !== 'pwsh' && e.key !== 'powershell') visit(e.value, depth + 1);
    };
    visit(doc.contents as YNode | undefined, 0);
  },
};
