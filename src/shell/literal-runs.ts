/** A literal run of a word as both shell readers record it: unquoted, or inside double quotes. */
export type LiteralPart = { t: 'lit'; raw: string; dq: boolean };

/**
 * Gathers a word's adjacent literal text into one part per quoting, pushed to `parts` when the
 * quoting changes or when another kind of part comes (`flush`). Shared by the plain-line fast
 * path (./index.ts) and the compound reader (./compound.ts), which must split words alike.
 */
export function literalRuns(parts: { push(p: LiteralPart): unknown }) {
  let lit = '';
  let litDq = false;
  const flush = () => {
    if (lit) parts.push({ t: 'lit', raw: lit, dq: litDq });
    lit = '';
  };
  const addLit = (raw: string, dq: boolean) => {
    if (lit && litDq !== dq) flush();
    litDq = dq;
    lit += raw;
  };
  /** Whether no literal text is waiting to become a part. */
  const empty = () => lit === '';
  return { flush, addLit, empty };
}

/**
 * How both readers take a word whose first part is the unquoted literal `raw`, as mvdan/sh reads
 * an assignment: the match of `NAME=`, `NAME+=` or `NAME[` at its start (name, operator); 'bail'
 * for a literal mvdan-sh 0.10.1 also takes for an assignment (`a-b=c[1]`: a `=` before a `[`),
 * which the readers leave to it; undefined for a plain word.
 */
export function assignmentHead(raw: string): RegExpExecArray | 'bail' | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(=|\+=|\[)/.exec(raw);
  if (m) return m;
  const bracket = raw.indexOf('[', 1);
  const eq = raw.indexOf('=', 1);
  return bracket > 0 && eq > 0 && eq < bracket ? 'bail' : undefined;
}
