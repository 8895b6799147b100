/**
 * Procfiles (`Procfile`, `Procfile.*`): one process type per line, `<name>: <command>`, as
 * Heroku, Dokku, foreman, honcho and overmind read them. The format is a line format (its own
 * definition: a name of letters, digits, `_` and `-`, a colon, the command to the end of the
 * line); the command goes through the shell parser, as the platform runs it with `sh -c`.
 * `Procfile.dev` / `Procfile.local` start developer machines (development context); the others
 * deploy.
 */
import { MappedText } from '../text.js';
import { addShellText } from './commands.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

const LINE = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(\S.*?)[ \t]*$/;

export const procfileSource: Source = {
  ...head('procfile'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const base = file.path.slice(file.path.lastIndexOf('/') + 1);
    const natural = /^Procfile\.(dev|development|local)$/i.test(base) ? 'development' : 'deployment';
    const kind = ctx.contextFor(file.path, natural);
    const cwd = dirOf(file.path);
    for (let line = 1; line <= file.index.lineCount; line++) {
      const text = file.index.lineText(line);
      const m = LINE.exec(text);
      if (!m) continue; // comments, blank lines and lines that are not process types, as the platforms skip them
      const lineStart = file.index.text.length === 0 ? 0 : offsetOfLine(file, line);
      const cmdStart = lineStart + text.indexOf(m[2]!, m[1]!.length + 1);
      const name = m[1]!;
      addShellText(
        MappedText.verbatim(file.index, cmdStart, cmdStart + m[2]!.length),
        {
          origin: { file: file.path, span: file.index.span(lineStart, lineStart + text.length), source: 'procfile', name },
          context: { kind, cwd },
          id: `${file.path}#${name}`,
        },
        ctx,
      );
    }
  },
};

function offsetOfLine(file: SourceFile, line: number): number {
  // LineIndex maps offsets to lines; walk back from the line's first character
  let lo = 0;
  let hi = file.text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (file.index.position(mid).line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
