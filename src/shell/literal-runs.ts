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
