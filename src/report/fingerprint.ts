/**
 * Fingerprints that identify a finding across runs, whatever lines move around it.
 *
 * - `lineHashes` reproduces the `primaryLocationLineHash` that GitHub's upload action
 *   (github/codeql-action, `src/fingerprints.ts`) computes when a SARIF result has none: a
 *   rolling polynomial hash (base 37, 64-bit wrap-around) over the first 100 characters from
 *   the start of each line, skipping spaces and tabs, with every line ending read as `\n`, a
 *   65535 end-of-file marker and zero padding after it. The value is `<hex>:<n>`, where n counts
 *   earlier lines of the file with the same hash. Reimplemented from its description and checked
 *   against the published test vectors (test/report/fingerprint.test.ts).
 * - `findingKeys` gives permlint's own key: (rule, file, normalised flagged text, occurrence).
 *   It does not contain a line number, so it survives insertions anywhere in the file; the
 *   baseline and the SARIF `permlint/v1` fingerprint use it.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../model.js';
import type { Texts } from '../file-texts.js';

const BLOCK = 100;
const MOD = 37n;
const MASK = (1n << 64n) - 1n;
const EOF = 65535;
const TAB = 9;
const SPACE = 32;
const LF = 10;
const CR = 13;

let firstModCache: bigint | undefined;
function firstMod(): bigint {
  if (firstModCache === undefined) {
    let m = 1n;
    for (let i = 0; i < BLOCK; i++) m = (m * MOD) & MASK;
    firstModCache = m;
  }
  return firstModCache;
}

/** `primaryLocationLineHash` for every line of `text` (index 0 = line 1), as GitHub's upload action computes it. */
export function lineHashes(text: string): string[] {
  const window = new Array<number>(BLOCK).fill(0);
  const lineAt = new Array<number>(BLOCK).fill(-1);
  const fm = firstMod();
  const counts = new Map<string, number>();
  const out: string[] = [];
  let hash = 0n;
  let index = 0;
  let lineNumber = 0;
  let lineStart = true;
  let prevCR = false;

  const emit = () => {
    const hex = hash.toString(16);
    const n = (counts.get(hex) ?? 0) + 1;
    counts.set(hex, n);
    out[lineAt[index]! - 1] = `${hex}:${n}`;
    lineAt[index] = -1;
  };
  const update = (c: number) => {
    const begin = window[index]!;
    window[index] = c;
    hash = (MOD * hash + BigInt(c) - fm * BigInt(begin)) & MASK;
    index = (index + 1) % BLOCK;
  };
  const feed = (c: number) => {
    if (c === SPACE || c === TAB || (prevCR && c === LF)) {
      prevCR = false;
      return;
    }
    if (c === CR) {
      c = LF;
      prevCR = true;
    } else prevCR = false;
    if (lineAt[index] !== -1) emit();
    if (lineStart) {
      lineStart = false;
      lineNumber++;
      lineAt[index] = lineNumber;
    }
    if (c === LF) lineStart = true;
    update(c);
  };

  for (let i = 0; i < text.length; i++) feed(text.charCodeAt(i));
  feed(EOF);
  for (let i = 0; i < BLOCK; i++) {
    if (lineAt[index] !== -1) emit();
    update(0);
  }
  return out;
}

/** The flagged text of a finding with whitespace runs collapsed; the start line when the span is empty. */
export function flaggedText(f: Finding, text: string | undefined): string {
  if (text === undefined) return f.message;
  const starts = lineStarts(text);
  const at = (line: number, col: number) => Math.min(text.length, (starts[line - 1] ?? text.length) + col - 1);
  let s = text.slice(at(f.span.line, f.span.column), at(f.span.endLine, f.span.endColumn));
  if (!s.trim()) {
    const a = starts[f.span.line - 1] ?? text.length;
    const b = starts[f.span.line] ?? text.length;
    s = text.slice(a, b);
  }
  return s.replace(/\s+/g, ' ').trim();
}

const startsCache = new Map<string, number[]>();
function lineStarts(text: string): number[] {
  let starts = startsCache.get(text);
  if (!starts) {
    if (startsCache.size > 64) startsCache.clear();
    starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) starts.push(i + 1);
      else if (c === CR && text.charCodeAt(i + 1) !== LF) starts.push(i + 1);
    }
    startsCache.set(text, starts);
  }
  return starts;
}

export interface FindingKey {
  rule: string;
  file: string;
  /** Normalised flagged text. */
  text: string;
  /** 1 for the first finding with the same rule, file and text (in report order), 2 for the next, … */
  occurrence: number;
  /** sha256 of the four fields above, hex. */
  fingerprint: string;
}

export function fingerprintOf(rule: string, file: string, text: string, occurrence: number): string {
  return createHash('sha256').update(`${rule}\0${file}\0${text}\0${occurrence}`).digest('hex');
}

/** permlint's own key for each finding, in the order given (findings must be in report order). */
export function findingKeys(findings: Finding[], sources: Texts | undefined): FindingKey[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const text = flaggedText(f, sources?.get(f.span.file));
    const k = `${f.ruleId}\0${f.span.file}\0${text}`;
    const occurrence = (seen.get(k) ?? 0) + 1;
    seen.set(k, occurrence);
    return { rule: f.ruleId, file: f.span.file, text, occurrence, fingerprint: fingerprintOf(f.ruleId, f.span.file, text, occurrence) };
  });
}
