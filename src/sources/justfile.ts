/**
 * just (`justfile`, `.justfile`, `Justfile`, `*.just`): every recipe's body. A body line runs in a
 * shell of its own (`sh -cu`), after its `@` / `-` prefixes; a recipe whose body starts with `#!`
 * is one script. `{{ … }}` interpolations are not known statically. The format is read line by
 * line by its own definition (a recipe header at column 0 `name params: deps`, indented body
 * lines, `\` continuations, `#` comments; `:=` lines are assignments, not recipes).
 * Context: development.
 */
import { MappedText, maskBraceTemplates } from '../text.js';
import { addShellText } from './commands.js';
import { mark, restorePlaceholders } from './github-actions.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

const PLACEHOLDER = 'PERMLINT_JUST_';
const HEADER = /^@?([A-Za-z_][\w-]*)(\s[^:]*)?:(?!=)/;

export const justfileSource: Source = {
  ...head('justfile'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const kind = ctx.contextFor(file.path, 'development');
    const cwd = dirOf(file.path);
    const lines: { text: string; start: number }[] = [];
    let offset = 0;
    for (const raw of file.text.split('\n')) {
      lines.push({ text: raw.replace(/\r$/, ''), start: offset });
      offset += raw.length + 1;
    }
    for (let i = 0; i < lines.length; i++) {
      const header = HEADER.exec(lines[i]!.text);
      if (!header || /^\s/.test(lines[i]!.text)) continue;
      const recipe = header[1]!;
      const body: { text: string; start: number }[] = [];
      let j = i + 1;
      while (j < lines.length && (lines[j]!.text.trim() === '' || /^\s/.test(lines[j]!.text))) body.push(lines[j++]!);
      i = j - 1;
      const first = body.find((l) => l.text.trim() !== '');
      if (!first) continue;
      const run = (start: number, end: number, n: number) => {
        const masked = mask(MappedText.verbatim(file.index, start, end));
        const before = mark(ctx.model);
        addShellText(
          masked.text,
          {
            origin: { file: file.path, span: file.index.span(start, end), source: 'justfile', name: recipe },
            context: { kind, cwd },
            id: `${file.path}#${recipe}${n ? `:${n}` : ''}`,
            shell: { describeUnknown: (v) => (v.startsWith(PLACEHOLDER) ? { kind: 'template', of: 'just', exprs: [masked.exprs[Number(v.slice(PLACEHOLDER.length))] ?? ''] } : { kind: 'variable', of: 'shell', name: v }) },
          },
          ctx,
        );
        restorePlaceholders(ctx.model, before, PLACEHOLDER, masked.exprs);
      };
      if (first.text.trim().startsWith('#!')) {
        // a shebang recipe: the whole body is one script (its interpreter decides; shells are read)
        if (/^#!\S*(sh|bash|zsh|dash)\b|^#!\/usr\/bin\/env\s+(-S\s+)?(sh|bash|zsh|dash)\b/.test(first.text.trim())) {
          const last = body[body.length - 1]!;
          run(first.start, last.start + last.text.length, 0);
        }
        continue;
      }
      let n = 0;
      for (let k = 0; k < body.length; k++) {
        const l = body[k]!;
        const t = l.text.trim();
        if (t === '' || t.startsWith('#')) continue;
        let start = l.start + l.text.search(/\S/);
        while (file.text[start] === '@' || file.text[start] === '-') start++;
        let end = l.start + l.text.length;
        // `\` at the end continues the line
        while (file.text.slice(start, end).endsWith('\\') && k + 1 < body.length) {
          k++;
          end = body[k]!.start + body[k]!.text.length;
        }
        run(start, end, ++n);
      }
    }
  },
};

/** `{{ … }}` interpolations become unknown shell variables; `{{{{` is a literal `{{`. */
const mask = (src: MappedText) => maskBraceTemplates(src, PLACEHOLDER, true);
