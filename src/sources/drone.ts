/**
 * Drone (`.drone.yml`) and Woodpecker (`.woodpecker.yml`, `.woodpecker/*.yml`) pipelines: the
 * `commands` of every step (`steps:` as a list or a map; Woodpecker's older `pipeline:` too),
 * with the step's `image` as its runtime pin. Every document of a multi-pipeline file is read.
 * Context: ci.
 */
import { addScripts, imageContext } from './ci-yaml.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

export const droneSource: Source = {
  ...head('drone'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const kind = ctx.contextFor(file.path, 'ci');
    const cwd = file.path.includes('.woodpecker/') ? dirOf(dirOf(file.path)) : dirOf(file.path);
    parseYaml(file, ctx, 'drone').docs.forEach((doc, d) => {
      const r = new YReader(file, doc);
      const root = doc.contents as YNode | undefined;
      const pipeline = r.str(r.get(root, 'name')) ?? `pipeline ${d + 1}`;
      const steps = r.get(root, 'steps') ?? r.get(root, 'pipeline');
      const list: { name: string; node: YNode }[] = r.isSeq(steps)
        ? r.items(steps).map((s, k) => ({ name: r.str(r.get(s, 'name')) ?? `step ${k + 1}`, node: s }))
        : r.pairs(steps).flatMap((e) => (e.value ? [{ name: e.key, node: e.value }] : []));
      for (const step of list) {
        const context = imageContext(r, r.get(step.node, 'image'), 'drone', kind, cwd, ctx);
        addScripts(r, r.get(step.node, 'commands'), { source: 'drone', name: `${pipeline}/${step.name}`, context, id: `${file.path}#${pipeline}:${step.name}` }, ctx);
      }
    });
  },
};
