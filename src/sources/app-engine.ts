/**
 * Google App Engine (`app.yaml`, `app.yml`): the `entrypoint` command that starts the service
 * (run through a shell), with the `runtime` (`nodejs22`) noted as the runtime. A file of that name
 * that is a Kubernetes manifest (`apiVersion` + `kind`) is read as one. Context: deployment.
 */
import { addShellText } from './commands.js';
import { kubernetesSource, sniffKubernetes } from './kubernetes.js';
import { parseYaml, YReader, type YNode } from './yaml-util.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

export const appEngineSource: Source = {
  ...head('app-engine'),
  parse(file: SourceFile, ctx: ScanContext): void {
    if (sniffKubernetes(file.text)) return kubernetesSource.parse(file, ctx) as void;
    const doc = parseYaml(file, ctx, 'app-engine').docs[0];
    if (!doc) return;
    const r = new YReader(file, doc);
    const root = doc.contents as YNode | undefined;
    const entry = r.entry(root, 'entrypoint');
    const text = entry?.value ? r.text(entry.value) : undefined;
    if (!entry || !text) return;
    const service = r.str(r.get(root, 'service')) ?? 'default';
    addShellText(
      text,
      {
        origin: { file: file.path, span: r.pairSpan(entry), source: 'app-engine', name: `${service}.entrypoint` },
        context: { kind: ctx.contextFor(file.path, 'deployment'), cwd: dirOf(file.path) },
        id: `${file.path}#${service}.entrypoint`,
      },
      ctx,
    );
  },
};
