/**
 * How discovery reads a file that only its content can claim although its name makes it a
 * candidate (TypeScript/JavaScript, by the registry's name test), and what it records of one that
 * its source's sniff rules out on the bytes: shared by discovery (src/discover.ts) and by the
 * parser thread, which reads such files ahead of a walk (src/list-ahead.ts, `reads`). Both run
 * the same code on the same bytes, so a file the thread read is recorded as the walk would have.
 */
import { isAscii } from 'node:buffer';
import type { FileRole } from './model.js';
import type { FileKind } from './discover.js';
import { kindByContent, kindByName, mayHoldFactsUtf8, mightSniff, SNIFF_BYTES } from './sources/registry.js';
import { textDigest } from './file-texts.js';
import { classifyFile, HEADER_CHARS } from './roles.js';
import { nodeFs } from './fs.js';
import { decodeText, isTextUtf8, safeRead, utf16Length } from './fsafe.js';

/** What the scan records of a file its source rules out: the digest and length `FileTexts` checks a text read again against, and the role its path and first lines give. */
export interface RuledOut {
  digest: string;
  length: number;
  role: FileRole;
}

/**
 * What a read ahead of the walk found (the walk records it as if it had read the file itself):
 * `null` when there is nothing to record (an empty file, or one its first bytes say is not ours),
 * the record of a file ruled out on its bytes, or the bytes of one the walk must look at itself.
 */
export type PreRead = null | { kind: FileKind; ruledOut: RuledOut } | { kind: FileKind; bytes: Uint8Array };

/** A NUL byte (the scan's to report: such a file keeps its text). */
const NUL_ONLY: readonly (Uint8Array | number)[] = [0];

export const asBuffer = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** The bytes a kept text holds (a NUL, and the ASCII `markers` of the texts the run keeps whole). */
export function keepMarkerBytes(markers: readonly string[]): readonly (Uint8Array | number)[] {
  return [...NUL_ONLY, ...markers.map((m) => Buffer.from(m, 'latin1'))];
}

/** The words discovery looks for when no text is kept whole: only a NUL byte. */
export const NUL_MARKERS = NUL_ONLY;

/** Whether the bytes hold one of `words` (bytes, or a byte value). */
function holdsAny(bytes: Uint8Array, words: readonly (Uint8Array | number)[]): boolean {
  const b = asBuffer(bytes);
  for (let i = 0; i < words.length; i++) if (b.indexOf(words[i]!) >= 0) return true;
  return false;
}

/**
 * The record of a file ruled out on its bytes (`ascii`: whether they are), when they are the text's
 * UTF-8 (ASCII, or valid UTF-8 without a byte order mark: no string is made of them), its source's
 * sniff rules it out and it holds none of `keepMarkers`; undefined when the text must be looked at.
 */
export function ruledOutOnBytes(kind: FileKind, rel: string, bytes: Uint8Array, ascii: boolean, keepMarkers: readonly (Uint8Array | number)[]): RuledOut | undefined {
  if (!isTextUtf8(bytes, ascii) || mayHoldFactsUtf8(kind, rel, bytes) || holdsAny(bytes, keepMarkers)) return undefined;
  // the role reads the first HEADER_CHARS characters: of UTF-8, at most 3 bytes each (and a character cut at the end comes after them)
  const head = ascii
    ? asBuffer(bytes).toString('latin1', 0, Math.min(bytes.length, HEADER_CHARS))
    : decodeText(bytes.subarray(0, Math.min(bytes.length, 3 * HEADER_CHARS + 3))).slice(0, HEADER_CHARS);
  // (the bytes are the text's UTF-8: hashed as they are)
  return { digest: textDigest(bytes), length: ascii ? bytes.length : utf16Length(bytes), role: classifyFile(rel, head) };
}

/** Whether a walk reads the file `base` (at `rel`) whole for its content to decide, although no name claims it: TypeScript/JavaScript. */
export function readWholeByName(rel: string, base: string): boolean {
  return kindByName(rel, base) === undefined && mightSniff(rel, base) && kindByContent('', rel, false, base) !== undefined;
}

/** Its kind by its first bytes, for a file `readWholeByName` holds for (undefined: not ours). */
export function kindOfHead(bytes: Uint8Array, rel: string, base: string): FileKind | undefined {
  return kindByContent(decodeText(bytes.subarray(0, SNIFF_BYTES)), rel, false, base);
}

/**
 * The parser thread's read of a file a walk lists as regular and `readWholeByName` holds for, as
 * the walk reads it (src/discover.ts `readCandidate`): undefined when the walk must read it itself
 * (it cannot be read so, or is too large: the walk says why).
 */
export function preRead(abs: string, rel: string, base: string, rootReal: string, maxBytes: number, keepMarkers: readonly (Uint8Array | number)[]): PreRead | undefined {
  const r = safeRead(nodeFs, abs, { root: rootReal, maxBytes, noLinks: true, borrow: true, listed: true });
  if (!r.ok) return undefined;
  const bytes = r.bytes;
  if (bytes.length === 0) return null;
  const kind = kindOfHead(bytes, rel, base);
  if (!kind) return null;
  const ruledOut = ruledOutOnBytes(kind, rel, bytes, isAscii(bytes), keepMarkers);
  return ruledOut ? { kind, ruledOut } : { kind, bytes };
}
