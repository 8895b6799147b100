/**
 * What the YAML CI sources share (CircleCI, Bitbucket Pipelines, Azure Pipelines, Drone /
 * Woodpecker): a script written as one string or a list of strings (each a shell text, block
 * scalars mapped line by line), with `${{ … }}` template expressions masked as unknown words,
 * and the runtime pin of a job's image.
 */
import type { ContextKind, EnvSetting, InvocationContext, SourceKind } from '../model.js';
import { addShellText } from './commands.js';
import { mark, maskExpressions, restoreExpressions } from './github-actions.js';
import { addPin, imagePin } from './version-pins.js';
import type { YNode, YReader } from './yaml-util.js';
import type { ScanContext } from './types.js';

export interface ScriptSite {
  source: SourceKind;
  /** Job / step name for messages and identity. */
  name: string;
  context: InvocationContext;
  /** Identity prefix (`<file>#<job>`). */
  id: string;
  env?: EnvSetting[];
}

/** Each string of `node` (a string, or a list of strings and nested lists) as shell text. */
export function addScripts(r: YReader, node: YNode | undefined, site: ScriptSite, ctx: ScanContext): void {
  const lines: YNode[] = [];
  const collect = (n: YNode | undefined, depth: number) => {
    if (!n || depth > 4) return;
    if (r.isSeq(n)) r.items(n).forEach((i) => collect(i, depth + 1));
    else if (r.text(n)) lines.push(n);
  };
  collect(node, 0);
  lines.forEach((line, k) => {
    const text = r.text(line)!;
    const masked = maskExpressions(text);
    const before = mark(ctx.model);
    addShellText(
      masked.text,
      {
        origin: { file: r.file.path, span: r.span(line), source: site.source, name: site.name },
        context: site.context,
        id: lines.length === 1 ? site.id : `${site.id}:${k + 1}`,
        shell: { trackAssignments: true, describeUnknown: (n) => (n.startsWith('PERMLINT_GHA_') ? { kind: 'template', of: 'ci-template', exprs: [masked.exprs[Number(n.slice('PERMLINT_GHA_'.length))] ?? ''] } : { kind: 'variable', of: 'plain', name: n }) },
        ...(site.env?.length ? { inheritedEnv: site.env } : {}),
      },
      ctx,
    );
    restoreExpressions(ctx.model, before, masked.exprs);
  });
}

/** The job's image (`image: denoland/deno:2.9.6` or `image: { name: … }`) as a runtime pin on its context. */
export function imageContext(r: YReader, imageNode: YNode | undefined, source: SourceKind, kind: ContextKind, cwd: string, ctx: ScanContext): InvocationContext {
  const context: InvocationContext = { kind, cwd };
  const node = imageNode && r.isMap(imageNode) ? r.get(imageNode, 'name') : imageNode;
  const image = node ? r.token(node) : undefined;
  if (image && !image.value.includes('$')) {
    const pin = addPin(ctx, imagePin(image.value, image.span, source, kind));
    if (pin) context.runtimeVersion = { value: pin.text, span: pin.span };
  }
  return context;
}
