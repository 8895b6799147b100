/**
 * Shell scripts (`*.sh`, `*.bash`, extension-less files with a shell shebang) and shebang
 * lines of any file (`#!/usr/bin/env -S deno run --allow-net`).
 */
import { analyzeCommand, basename } from '../grammar/command.js';
import { splitEnvString } from '../shell/index.js';
import { MappedText } from '../text.js';
import { addShellText } from './commands.js';
import { dirOf, origin, type ScanContext, type SourceFile } from './types.js';
import { head } from './registry.js';

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh', 'busybox']);

/** The interpreter a `#!` line names (`/usr/bin/env -S deno run` → deno), or undefined. */
export function shebangInterpreter(text: string): string | undefined {
  if (!text.startsWith('#!')) return undefined;
  const line = text.slice(2, text.search(/\r?\n|$/)).trim();
  const words = line.split(/\s+/);
  let i = 0;
  if (basename(words[0] ?? '') === 'env') {
    i = 1;
    while (i < words.length && (words[i]!.startsWith('-') || words[i]!.includes('='))) i++;
  }
  return words[i] ? basename(words[i]!) : undefined;
}

export function isShellShebang(text: string): boolean {
  const i = shebangInterpreter(text);
  return !!i && SHELLS.has(i);
}

export const shellSource = {
  ...head('shell'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const kind = ctx.contextFor(file.path, 'development');
    addShellText(
      MappedText.verbatim(file.index, 0, file.text.length),
      {
        origin: origin(file, file.index.span(0, 0), 'shell', file.path.slice(file.path.lastIndexOf('/') + 1)),
        context: { kind, cwd: dirOf(file.path) },
        id: `${file.path}#sh`,
        shell: { trackAssignments: true },
      },
      ctx,
    );
  },
};

export const shebangSource = {
  ...head('shebang'),
  parse(file: SourceFile, ctx: ScanContext): void {
    if (!file.text.startsWith('#!')) return;
    // `#!/bin/sh` and friends: the whole file is a shell script
    if (isShellShebang(file.text)) return shellSource.parse(file, ctx);
    const end = file.text.search(/\r?\n|$/);
    const line = MappedText.verbatim(file.index, 2, end);
    const words = splitEnvString(line);
    if (words.length === 0) return;
    // the kernel runs: interpreter [one optional argument] <this file>
    const self = { value: `./${file.path.slice(file.path.lastIndexOf('/') + 1)}`, span: file.index.span(0, end) };
    let argv = words;
    if (basename(words[0]!.value) === 'env' && words[1] && !words[1].value.startsWith('-S') && words.length > 2) {
      // `#!/usr/bin/env deno run -A`: without -S the kernel passes "deno run -A" to env as one word; it fails
      ctx.model.problems.push({
        file: file.path,
        span: file.index.span(0, end),
        code: 'shebang-env-without-S',
        source: 'shebang',
      });
      return;
    }
    argv = [...argv, self];
    const kind = ctx.contextFor(file.path, 'development');
    const site = origin(file, file.index.span(0, end), 'shebang', file.path.slice(file.path.lastIndexOf('/') + 1));
    const analyzed = analyzeCommand(argv, { origin: site, context: { kind, cwd: dirOf(file.path) }, env: [], id: `${file.path}#shebang`, resolveSet: ctx.resolverFor(dirOf(file.path)) });
    if (analyzed?.invocation) {
      ctx.model.commands.push(analyzed.command);
      ctx.model.invocations.push(analyzed.invocation);
    }
  },
};
