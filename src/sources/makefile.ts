/**
 * Makefiles (`Makefile`, `makefile`, `GNUmakefile`, `*.mk`): each recipe line through the shell
 * parser, after make's own processing — the `@`, `-`, `+` prefixes, backslash continuations
 * (the next line's leading tab dropped), `$$` → `$`, and `$(VAR)` / `${VAR}` expanded from
 * literal assignments (`=`, `:=`, `::=`, `?=`, `+=`) in the same file. Anything else make would
 * expand (automatic variables, functions, `!=`, unknown variables) stays an unknown word.
 *
 * Make has no published grammar: this reader follows the GNU make manual's line rules
 * (logical lines, rule lines, recipe lines, define blocks, conditionals).
 */
import { MappedText } from '../text.js';
import { excerpt } from '../fsafe.js';
import { addShellText } from './commands.js';
import { mark, restorePlaceholders } from './github-actions.js';
import { dirOf, type ScanContext, type SourceFile } from './types.js';
import { head } from './registry.js';

const ASSIGN = /^\s*(?:(?:export|override|private)\s+)*([A-Za-z0-9_.][A-Za-z0-9_.-]*)\s*(::=|:::=|:=|\?=|\+=|!=|=)/;
const DIRECTIVE = /^\s*(ifeq|ifneq|ifdef|ifndef|else|endif|include|-include|sinclude|vpath|export|unexport|undefine)\b/;
const PLACEHOLDER = 'PERMLINT_MAKE_';
/** Bytes Makefile variables may expand to per file (or 4 × the file, if more). */
const EXPANSION_BUDGET = 1024 * 1024;

interface PhysLine {
  text: string;
  start: number;
}

function physicalLines(text: string, from: number): PhysLine[] {
  const out: PhysLine[] = [];
  let start = from;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    out.push({ text: text.slice(start, end).replace(/\r$/, ''), start });
    if (end === text.length) break;
    start = end + 1;
  }
  return out;
}

export const makefileSource = {
  ...head('makefile'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const text = file.text;
    const lines = physicalLines(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
    const raw = new Map<string, { value: string; flavour: string }>();
    const kind = ctx.contextFor(file.path, 'development');
    const dir = dirOf(file.path);
    let target: string | undefined;
    let inDefine = false;
    let recipeNo = 0;
    const unknownNames: string[] = [];

    // expansions are bounded in bytes per file: past the budget a variable is left unexpanded
    // (an unknown word) and one parse-error says so, instead of work growing with every use
    let budget = Math.max(EXPANSION_BUDGET, text.length * 4);
    let overBudget = false;
    const spend = (n: number): boolean => {
      if (n <= budget) {
        budget -= n;
        return true;
      }
      if (!overBudget) {
        overBudget = true;
        ctx.model.problems.push({ file: file.path, span: file.index.span(0, 0), code: 'expansion-budget', format: 'makefile', limit: Math.round(Math.max(EXPANSION_BUDGET, text.length * 4) / 1024), source: 'makefile' });
      }
      return false;
    };
    const memo = new Map<string, string | null>();
    const expandVar = (name: string, depth: number): string | undefined => {
      const v = raw.get(name);
      if (!v || v.flavour === '!=' || depth > 10) return undefined;
      const have = memo.get(name);
      if (have !== undefined) return have ?? undefined;
      const out = expandString(v.value, depth + 1);
      const value = out.unknown ? undefined : out.value;
      memo.set(name, value ?? null);
      return value;
    };
    // expansion of a plain string (variable values): unknown parts make the whole value unknown
    const expandString = (s: string, depth: number): { value: string; unknown: boolean } => {
      let unknown = false;
      let size = s.length;
      const value = s.replace(/\$\$|\$\(([^()$]*)\)|\$\{([^{}$]*)\}|\$(.)/g, (m, a: string | undefined, b: string | undefined, c: string | undefined) => {
        if (m === '$$') return '$';
        if (unknown) return m;
        const name = a ?? b ?? c ?? '';
        const v = /^[A-Za-z0-9_.-]+$/.test(name) ? expandVar(name, depth) : undefined;
        if (v === undefined || size + v.length > budget) {
          if (v !== undefined) spend(size + v.length); // over: says so once
          unknown = true;
          return m;
        }
        size += v.length;
        return v;
      });
      return { value, unknown };
    };

    /** A recipe's text after make's processing, each character mapped to the file. */
    const recipeText = (parts: PhysLine[]): MappedText => {
      let out = '';
      const offsets: number[] = [];
      const push = (s: string, at: number, spread = 0) => {
        for (let k = 0; k < s.length; k++) {
          out += s[k];
          offsets.push(at + (spread ? Math.floor((k * spread) / Math.max(1, s.length)) : k));
        }
      };
      parts.forEach((p, idx) => {
        let i = 0;
        const t = p.text;
        if (t[0] === '\t') i = 1;
        if (idx === 0) while (i < t.length && /[@+\-\s]/.test(t[i]!)) i++;
        for (; i < t.length; ) {
          if (t[i] === '$') {
            const next = t[i + 1];
            if (next === '$') {
              push('$', p.start + i);
              i += 2;
              continue;
            }
            let end = i + 2;
            let name: string;
            if (next === '(' || next === '{') {
              const close = next === '(' ? ')' : '}';
              let depth = 1;
              let k = i + 2;
              for (; k < t.length && depth > 0; k++) {
                if (t[k] === next) depth++;
                else if (t[k] === close) depth--;
              }
              end = k;
              name = t.slice(i + 2, k - 1);
            } else name = next ?? '';
            const written = t.slice(i, end);
            const known = /^[A-Za-z0-9_.-]+$/.test(name) ? expandVar(name, 0) : undefined;
            const value = known !== undefined && spend(known.length) ? known : undefined;
            if (value !== undefined) push(value, p.start + i, written.length);
            else {
              unknownNames.push(excerpt(written, 60));
              push(`\${${PLACEHOLDER}${unknownNames.length - 1}}`, p.start + i, written.length);
            }
            i = end;
            continue;
          }
          push(t[i]!, p.start + i);
          i++;
        }
        if (idx < parts.length - 1) push('\n', p.start + t.length);
      });
      offsets.push(parts.length ? parts[parts.length - 1]!.start + parts[parts.length - 1]!.text.length : 0);
      return new MappedText(out, offsets, file.index);
    };

    for (let li = 0; li < lines.length; li++) {
      const line = lines[li]!;
      const t = line.text;
      if (inDefine) {
        if (/^\s*endef\b/.test(t)) inDefine = false;
        continue;
      }
      if (t.startsWith('\t') && target !== undefined) {
        // a recipe line, with its backslash continuations
        const parts = [line];
        while (parts[parts.length - 1]!.text.endsWith('\\') && li + 1 < lines.length) parts.push(lines[++li]!);
        const body = parts.map((p) => p.text).join('\n').trim();
        if (!body || body.startsWith('#')) continue;
        recipeNo++;
        const mt = recipeText(parts);
        const first = parts[0]!;
        const last = parts[parts.length - 1]!;
        const before = mark(ctx.model);
        addShellText(
          mt,
          {
            origin: { file: file.path, span: file.index.span(first.start + 1, last.start + last.text.length), source: 'makefile', name: target },
            context: { kind, cwd: dir },
            id: `${file.path}#target:${target}:${recipeNo}`,
            shell: {
              trackAssignments: false,
              describeUnknown: (n) => (n.startsWith(PLACEHOLDER) ? { kind: 'template', of: 'makefile', exprs: [unknownNames[Number(n.slice(PLACEHOLDER.length))] ?? ''] } : { kind: 'variable', of: 'shell', name: n }),
            },
          },
          ctx,
        );
        restorePlaceholders(ctx.model, before, PLACEHOLDER, unknownNames);
        continue;
      }
      // a logical line: join continuations
      let logical = t;
      while (logical.endsWith('\\') && li + 1 < lines.length) logical = `${logical.slice(0, -1)} ${lines[++li]!.text.trim()}`;
      const hash = logical.search(/(^|[^\\])#/);
      const code = hash >= 0 ? logical.slice(0, hash + (logical[hash] === '#' ? 0 : 1)) : logical;
      if (!code.trim()) continue;
      if (/^\s*define\b/.test(code)) {
        inDefine = true;
        continue;
      }
      const a = ASSIGN.exec(code);
      if (a) {
        memo.clear();
        const name = a[1]!;
        const op = a[2]!;
        const value = code.slice(a[0].length).trim();
        if (op === '?=') {
          if (!raw.has(name)) raw.set(name, { value, flavour: op });
        } else if (op === '+=') {
          const prev = raw.get(name);
          raw.set(name, { value: prev ? `${prev.value} ${value}` : value, flavour: prev?.flavour ?? '=' });
        } else if (op === ':=' || op === '::=' || op === ':::=') {
          const ex = expandString(value, 0);
          raw.set(name, ex.unknown ? { value, flavour: '!=' } : { value: ex.value.replace(/\$/g, '$$$$'), flavour: op });
        } else raw.set(name, { value, flavour: op });
        continue;
      }
      if (DIRECTIVE.test(code)) continue;
      const colon = code.indexOf(':');
      if (colon > 0) {
        const targets = code.slice(0, colon).trim().split(/\s+/);
        target = targets[0] ?? undefined;
        // `target: prereqs ; recipe`
        const semi = code.indexOf(';', colon);
        if (semi >= 0 && target) {
          const recipeStart = line.start + semi + 1;
          const recipe = file.text.slice(recipeStart, line.start + t.length);
          if (recipe.trim()) {
            recipeNo++;
            const mt = recipeText([{ text: recipe, start: recipeStart }]);
            const before = mark(ctx.model);
            addShellText(
              mt,
              {
                origin: { file: file.path, span: file.index.span(recipeStart, line.start + t.length), source: 'makefile', name: target },
                context: { kind, cwd: dir },
                id: `${file.path}#target:${target}:${recipeNo}`,
                shell: { trackAssignments: false, describeUnknown: (n) => (n.startsWith(PLACEHOLDER) ? { kind: 'template', of: 'makefile', exprs: [unknownNames[Number(n.slice(PLACEHOLDER.length))] ?? ''] } : { kind: 'variable', of: 'shell', name: n }) },
              },
              ctx,
            );
            restorePlaceholders(ctx.model, before, PLACEHOLDER, unknownNames);
          }
        }
        continue;
      }
    }
  },
};
