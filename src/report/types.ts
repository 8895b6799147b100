import type { Finding } from '../model.js';
import type { RuleMeta } from '../rule-api.js';
import type { Texts } from '../file-texts.js';

export interface ReportInput {
  findings: Finding[];
  rules: RuleMeta[];
  /** Files scanned, for summaries. */
  fileCount: number;
  toolVersion: string;
  /** Scan root (absolute), for formats that need it. */
  root: string;
  /**
   * The scan root's path inside its repository (`packages/api/`), when it is not the repository
   * root: SARIF locations are relative to the repository, as code scanning expects.
   */
  uriPrefix?: string;
  color: boolean;
  /** Text of scanned files by repo-relative path (for fingerprints and snippets), read again on demand (src/file-texts.ts). */
  sources?: Texts;
  /** Files that were skipped, with why. */
  skipped?: { path: string; reason: string }[];
}

export type Reporter = (input: ReportInput) => string;
