/**
 * Advisories of the Deno and Node.js permission and sandbox models, shipped as data
 * (`data/runtime-advisories.json`; how to update it: docs/advisories.md), and semver
 * matching of a pinned version or a floating line against them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as semver from './semver.js';
import type { Level, Runtime } from './model.js';

export type AdvisoryScope = 'permission-model' | 'policy' | 'sandbox escape' | 'related' | 'out-of-scope';

export interface Advisory {
  id: string;
  cve?: string | null;
  ghsa?: string | null;
  runtime: Runtime;
  /** As compiled (`permission-model (interactive prompt)`, `related (command injection with --allow-run)`, …). */
  scope: string;
  /** The affected range as the source writes it. */
  affected: string;
  /** node-semver range derived from `affected` (see docs/advisories.md). */
  range: string;
  /** First fixed release of each affected line. */
  fixedVersions: string[];
  /** A platform or setup the advisory needs (`Windows only`). */
  condition?: string;
  severity: string;
  summary: string;
  source_url: string;
  sources: string[];
  confidence: string;
}

export interface AdvisoryData {
  compiled: string;
  advisories: Advisory[];
}

let cached: AdvisoryData | undefined;

/** The data file, found by walking up from this module (src/ when run from source, dist/src/ when built). */
export function loadAdvisories(): AdvisoryData {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'data', 'runtime-advisories.json');
    if (existsSync(p)) {
      cached = JSON.parse(readFileSync(p, 'utf8')) as AdvisoryData;
      return cached;
    }
    dir = dirname(dir);
  }
  throw new Error('data/runtime-advisories.json not found next to the permlint installation');
}

/** The scope family: `permission-model (interactive prompt)` → `permission-model`. */
export function scopeOf(a: Advisory): AdvisoryScope {
  const s = a.scope.toLowerCase();
  if (s.startsWith('permission-model')) return 'permission-model';
  if (s.startsWith('policy')) return 'policy';
  if (s.startsWith('sandbox escape')) return 'sandbox escape';
  if (s.startsWith('related')) return 'related';
  return 'out-of-scope';
}

/** Every in-scope advisory affecting a pin: an exact version, or a floating line all of whose releases are affected. */
export function advisoriesFor(runtime: Runtime, version: string, exact: boolean, data: AdvisoryData = loadAdvisories()): Advisory[] {
  const out: Advisory[] = [];
  for (const a of data.advisories) {
    if (a.runtime !== runtime || scopeOf(a) === 'out-of-scope') continue;
    if (!semver.validRange(a.range)) continue;
    if (exact) {
      if (semver.valid(version) && semver.satisfies(version, a.range)) out.push(a);
    } else {
      // a floating tag is flagged only when every release it can resolve to is affected
      const line = semver.validRange(version);
      if (line && semver.subset(line, a.range)) out.push(a);
    }
  }
  return out;
}

/** The first fixed release for this pin: the lowest fixed version above it (on its own line when there is one). */
export function firstFixed(a: Advisory, version: string): string | undefined {
  const base = semver.coerce(version)?.version ?? version;
  const above = a.fixedVersions.filter((f) => semver.valid(f) && semver.gt(f, base)).sort(semver.compare);
  const sameMajor = above.find((f) => semver.major(f) === semver.major(base));
  return sameMajor ?? above[0];
}

/** Security severity (CVSS score when given, else from the word) and level from an advisory's severity text. */
export function severityOf(a: Advisory): { score: number; level: Level } {
  const m = /CVSS(?:4)?\s*([\d.]+)\)/.exec(a.severity) ?? /CVSS\s+([\d.]+)/.exec(a.severity);
  const word = a.severity.toLowerCase();
  let score = m ? Number(m[1]) : word.startsWith('critical') ? 9.5 : word.startsWith('high') ? 8.0 : word.startsWith('medium') ? 5.5 : word.startsWith('low') ? 3.0 : 5.0;
  if (!Number.isFinite(score) || score <= 0 || score > 10) score = 5.0;
  const level: Level = word.startsWith('critical') || word.startsWith('high') ? 'error' : word.startsWith('medium') ? 'warning' : 'note';
  return { score, level };
}
