/** In-process lint → SARIF for a folder, as the CLI does it (discover, scan, rules, suppressions). */
import { discover } from '../../src/discover.js';
import { scan } from '../../src/scan.js';
import { runRules } from '../../src/engine.js';
import { RULES } from '../../rules/index.js';
import { SUPPRESSION_RULES, applySuppressions } from '../../src/suppress.js';
import { sarifLog } from '../../src/report/sarif.js';
import { compareSpans } from '../../src/text.js';
import type { Finding } from '../../src/model.js';

export const KNOWN = [...RULES.map((r) => r.meta.id), ...SUPPRESSION_RULES.map((r) => r.id)];

export async function sarifFor(dir: string): Promise<{ log: SarifLog; findings: Finding[] }> {
  const found = discover(['.'], {}, dir);
  const { model, files } = await scan(found.files, { keepText: () => true });
  const { findings: raw } = runRules(model, RULES);
  const kinds = new Map(found.files.map((f) => [f.path, f.kind]));
  const sup = await applySuppressions(raw, new Map([...files.keptTexts()].map(([k, text]) => [k, { text, kind: kinds.get(k) }])), { inline: true, reportUnused: true, knownRules: KNOWN });
  const findings = [...sup.findings, ...sup.problems].sort((a, b) => compareSpans(a.span, b.span) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  const log = sarifLog({
    findings,
    rules: [...RULES.map((r) => r.meta), ...SUPPRESSION_RULES],
    fileCount: found.files.length,
    toolVersion: '0.1.0',
    root: found.root,
    color: false,
    sources: files,
  }) as SarifLog;
  return { log, findings };
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  snippet?: { text: string };
}
export interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: SarifRegion };
}
export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: (SarifLocation & { message: { text: string } })[];
  partialFingerprints: Record<string, string>;
}
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[]; 'security-severity': unknown };
}
export interface SarifLog {
  version: string;
  runs: { tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } }; originalUriBaseIds: Record<string, { uri: string }>; results: SarifResult[]; automationDetails?: unknown }[];
}
