/**
 * CircleCI (`.circleci/config.yml`): the `run` steps of every job and of every reusable
 * `commands:` entry (`- run: <command>` or `- run: { command: … }`), with the job's first
 * `docker` image as its runtime pin. Context: ci.
 */
import { addScripts, imageContext } from './ci-yaml.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

export const circleciSource: Source = {
  ...head('circleci'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const doc = parseYaml(file, ctx, 'circleci').docs[0];
    if (!doc) return;
    const r = new YReader(file, doc);
    const root = doc.contents as YNode | undefined;
    const kind = ctx.contextFor(file.path, 'ci');
    const cwd = dirOf(dirOf(file.path)); // the checkout holds .circleci
    for (const section of ['jobs', 'commands'] as const) {
      for (const job of r.pairs(r.get(root, section))) {
        const image = r.items(r.get(job.value, 'docker'))[0];
        const context = imageContext(r, image ? r.get(image, 'image') : undefined, 'circleci', kind, cwd, ctx);
        r.items(r.get(job.value, 'steps')).forEach((step, k) => {
          const run = r.get(step, 'run');
          if (!run) return;
          const command = r.isMap(run) ? r.get(run, 'command') : run;
          const stepName = (r.isMap(run) ? r.str(r.get(run, 'name')) : undefined) ?? `run ${k + 1}`;
          addScripts(r, command, { source: 'circleci', name: `${job.key}/${stepName}`, context, id: `${file.path}#${section}:${job.key}:${k + 1}` }, ctx);
        });
      }
    }
  },
};
