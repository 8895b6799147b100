/** package.json `scripts`: each script's command line through the shell parser and the grammars. */
import { findNodeAtLocation } from 'jsonc-parser';
import { MappedText } from '../text.js';
import { addShellText } from './commands.js';
import { parseJsonc, props } from './deno-json.js';
import { dirOf, origin, type ScanContext, type Source, type SourceFile } from './types.js';
import { enginesPins } from './version-pins.js';
import type { PackageFacts } from '../model.js';
import { head } from './registry.js';

export const packageJsonSource: Source = {
  ...head('package.json'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const { root, errors } = parseJsonc(file, true);
    for (const e of errors.slice(0, 1)) ctx.model.problems.push({ file: file.path, ...e, source: 'package.json' });
    if (!root || errors.length > 0 || root.type !== 'object') return;
    const dir = dirOf(file.path);
    const scripts = props(findNodeAtLocation(root, ['scripts']));
    const facts: PackageFacts = { file: file.path, dir, scripts: scripts.map(([n]) => n) };
    const nameNode = findNodeAtLocation(root, ['name']);
    if (nameNode?.type === 'string') facts.name = String(nameNode.value);
    (ctx.model.packages ??= []).push(facts);
    // exact `engines` pins
    enginesPins(file, ctx);
    for (const [name, k, v] of scripts) {
      if (v.type !== 'string') continue;
      const site = origin(file, file.index.span(k.offset, v.offset + v.length), 'package.json', name);
      const kind = ctx.contextFor(file.path, 'development');
      addShellText(MappedText.jsonString(file.index, v.offset, v.length), { origin: site, context: { kind, cwd: dir }, id: `${file.path}#script:${name}` }, ctx);
    }
  },
};
