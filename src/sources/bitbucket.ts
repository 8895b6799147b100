/**
 * Bitbucket Pipelines (`bitbucket-pipelines.yml`): every `step` under `pipelines` (default,
 * branches, tags, pull-requests, custom; inside `parallel` and `stage` too) and under
 * `definitions`, its `script` and `after-script` lines, with the step's (or the file's) `image`
 * as its runtime pin. `pipe:` entries run someone else's container and are not read. Context: ci.
 */
import { addScripts, imageContext } from './ci-yaml.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

export const bitbucketSource: Source = {
  ...head('bitbucket'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const doc = parseYaml(file, ctx, 'bitbucket').docs[0];
    if (!doc) return;
    const r = new YReader(file, doc);
    const root = doc.contents as YNode | undefined;
    const kind = ctx.contextFor(file.path, 'ci');
    const cwd = dirOf(file.path);
    const fileImage = r.get(root, 'image');
    const seen = new Set<YNode>();
    let n = 0;
    const visit = (node: YNode | undefined, where: string, depth: number) => {
      if (!node || depth > 12) return;
      if (r.isSeq(node)) {
        r.items(node).forEach((i) => visit(i, where, depth + 1));
        return;
      }
      if (!r.isMap(node)) return;
      const step = r.get(node, 'step');
      if (step && r.isMap(step) && !seen.has(step)) {
        seen.add(step);
        n++;
        const name = r.str(r.get(step, 'name')) ?? `step ${n}`;
        const context = imageContext(r, r.get(step, 'image') ?? fileImage, 'bitbucket', kind, cwd, ctx);
        for (const key of ['script', 'after-script']) {
          addScripts(r, r.get(step, key), { source: 'bitbucket', name: `${where}/${name}`, context, id: `${file.path}#${where}:${n}:${key}` }, ctx);
        }
        return;
      }
      for (const e of r.pairs(node)) visit(e.value, where === '' ? e.key : `${where}/${e.key}`, depth + 1);
    };
    visit(r.get(root, 'pipelines'), '', 0);
  },
};
