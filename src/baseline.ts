/**
 * The baseline: a committed file of accepted findings, so that a gate reports only new ones.
 *
 * Each entry is keyed on (rule, file, normalised flagged text, occurrence) — never a line
 * number — so edits elsewhere in a file do not invalidate it. `--write-baseline <file>` records
 * the current findings; `--baseline <file>` hides the findings it records and reports the
 * entries that no longer match (fixed or changed), so the file can be pruned.
 */
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeText, realRoot, safeRead } from './fsafe.js';
import { nodeFs } from './fs.js';
import type { Finding } from './model.js';
import { findingKeys, type FindingKey } from './report/fingerprint.js';
import type { Texts } from './file-texts.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  rule: string;
  file: string;
  /** The normalised flagged text, shortened, for people reading the file. */
  text: string;
  occurrence: number;
  /** sha256(rule, file, full normalised text, occurrence). */
  fingerprint: string;
}

export interface Baseline {
  version: number;
  tool: 'permlint';
  entries: BaselineEntry[];
}

export class BaselineError extends Error {}

const short = (t: string) => (t.length > 120 ? `${t.slice(0, 119)}…` : t);

export function makeBaseline(findings: Finding[], sources: Texts | undefined): Baseline {
  const keys = findingKeys(findings, sources);
  const entries = keys.map((k: FindingKey) => ({ rule: k.rule, file: k.file, text: short(k.text), occurrence: k.occurrence, fingerprint: k.fingerprint }));
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.fingerprint < b.fingerprint ? -1 : 1));
  return { version: BASELINE_VERSION, tool: 'permlint', entries };
}

export function writeBaseline(path: string, baseline: Baseline, label = path): void {
  try {
    writeFileSync(path, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (e) {
    throw new BaselineError(`cannot write the baseline ${label}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Baselines larger than this are refused. */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

/**
 * Read a baseline through the safe opener (a regular file, links only inside its own folder, at
 * most MAX_BASELINE_BYTES). Errors name the file and what is wrong, never its content.
 */
export function readBaseline(path: string, label = path): Baseline {
  const r = safeRead(nodeFs, path, { root: realRoot(nodeFs, dirname(path)), maxBytes: MAX_BASELINE_BYTES });
  if (!r.ok) throw new BaselineError(`cannot read the baseline ${label}: ${r.refusal === 'missing' ? 'ENOENT' : r.reason}`);
  let data: unknown;
  try {
    data = JSON.parse(decodeText(r.bytes));
  } catch {
    throw new BaselineError(`cannot read the baseline ${label}: not valid JSON`);
  }
  const b = data as Partial<Baseline>;
  if (!b || typeof b !== 'object' || b.tool !== 'permlint' || !Array.isArray(b.entries)) {
    throw new BaselineError(`${label} is not a permlint baseline (write one with --write-baseline)`);
  }
  if (b.version !== BASELINE_VERSION) throw new BaselineError(`${label}: baseline version ${String(b.version)} is not supported (expected ${BASELINE_VERSION}); write it again with --write-baseline`);
  b.entries.forEach((e, i) => {
    if (!e || typeof e.rule !== 'string' || typeof e.file !== 'string' || typeof e.fingerprint !== 'string') throw new BaselineError(`${label}: entries[${i}] needs rule, file and fingerprint`);
  });
  return b as Baseline;
}

export interface BaselineResult {
  findings: Finding[];
  baselined: Finding[];
  /** Entries that match no current finding. */
  stale: BaselineEntry[];
}

/**
 * Hide the findings the baseline records. `findings` must be in report order (occurrences count
 * in it). An entry is stale when it matches nothing and its file was scanned (or is gone):
 * entries of files outside this run (pre-commit passes a few files) are left alone.
 */
export function applyBaseline(
  findings: Finding[],
  sources: Texts | undefined,
  baseline: Baseline,
  isStaleCandidate: (file: string) => boolean = () => true,
): BaselineResult {
  const keys = findingKeys(findings, sources);
  const known = new Map(baseline.entries.map((e) => [e.fingerprint, e]));
  const matched = new Set<string>();
  const out: BaselineResult = { findings: [], baselined: [], stale: [] };
  findings.forEach((f, i) => {
    const fp = keys[i]!.fingerprint;
    if (known.has(fp)) {
      matched.add(fp);
      out.baselined.push(f);
    } else out.findings.push(f);
  });
  out.stale = baseline.entries.filter((e) => !matched.has(e.fingerprint) && isStaleCandidate(e.file));
  return out;
}
