/**
 * SARIF 2.1.0 for GitHub code scanning (design.md "Output contracts", peers.md §3).
 *
 * One run. `tool.driver.rules` lists every rule (unique ids) with short and full description,
 * help text and markdown from the rule's docs page, `security-severity` as a string, tags with
 * `security`, and the default level. Results carry one location with a URI relative to
 * `%SRCROOT%` (declared in `originalUriBaseIds`), a full region, related locations, and
 * `partialFingerprints`: `primaryLocationLineHash` exactly as GitHub's upload action computes
 * it, plus `permlint/v1` (rule, file, normalised flagged text, occurrence — no line number).
 * No `automationDetails`: the upload action's `category` fills it in. The reporter receives
 * findings after suppressions and the baseline, so those never reach the file.
 */
import type { Finding, Span } from '../model.js';
import type { RuleMeta } from '../rule-api.js';
import { docsUrl, homepage, ruleDoc } from '../config.js';
import { findingKeys, lineHashes } from './fingerprint.js';
import type { ReportInput } from './types.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const MAX_TEXT = 1024;

/** A repo-relative POSIX path as a relative URI reference: forward slashes, no `./`, each segment percent-encoded. */
export function relativeUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function sentence(text: string): string {
  const t = text.trim().replace(/[:;,]$/, '');
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function clip(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
}

export function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function region(span: Span) {
  // a zero-width span (a problem "at the start of the file") still names its line
  const endColumn = span.endLine === span.line && span.endColumn <= span.column ? span.column + 1 : span.endColumn;
  return { startLine: span.line, startColumn: span.column, endLine: Math.max(span.endLine, span.line), endColumn };
}

const MAX_SNIPPET = 2000;

/** The text of lines [from, to] (1-based) and the text of the region inside them, when the file is known. */
function snippets(span: Span, lines: string[] | undefined) {
  if (!lines) return {};
  const r = region(span);
  const from = Math.max(1, r.startLine - 1);
  const to = Math.min(lines.length, r.endLine + 1);
  if (r.startLine > lines.length) return {};
  const body = lines.slice(r.startLine - 1, r.endLine);
  let text: string;
  if (body.length === 1) text = body[0]!.slice(r.startColumn - 1, r.endColumn - 1);
  else text = [body[0]!.slice(r.startColumn - 1), ...body.slice(1, -1), body[body.length - 1]!.slice(0, r.endColumn - 1)].join('\n');
  const context = lines.slice(from - 1, to).join('\n');
  const out: { snippet?: { text: string }; contextRegion?: object } = {};
  if (text && text.length <= MAX_SNIPPET) out.snippet = { text };
  if (context.length <= MAX_SNIPPET * 2) out.contextRegion = { startLine: from, endLine: to, snippet: { text: context } };
  return out;
}

function physical(span: Span, lines: string[] | undefined, prefix: string) {
  const { snippet, contextRegion } = snippets(span, lines);
  return {
    artifactLocation: { uri: relativeUri(prefix + span.file), uriBaseId: '%SRCROOT%' },
    region: { ...region(span), ...(snippet ? { snippet } : {}) },
    ...(contextRegion ? { contextRegion } : {}),
  };
}

function ruleDescriptor(meta: RuleMeta) {
  const doc = ruleDoc(meta.id);
  const url = docsUrl(meta.id);
  const full = doc?.summary ?? meta.description;
  const body = doc?.markdown.trim() ?? `**${meta.id}**: ${meta.description}`;
  const markdown = url ? `${body}\n\n[Documentation for \`${meta.id}\`](${url})\n` : `${body}\n`;
  return {
    id: meta.id,
    // SARIF wants a readable name distinct from the opaque id: allow-all → AllowAll
    name: pascal(meta.id),
    shortDescription: { text: clip(sentence(meta.description)) },
    fullDescription: { text: clip(sentence(full)) },
    help: { text: `${doc?.markdown.trim() ?? sentence(meta.description)}\n${url ? `\nDocumentation: ${url}\n` : ''}`, markdown },
    ...(url ? { helpUri: url } : {}),
    defaultConfiguration: { level: meta.level },
    properties: {
      tags: ['security', 'permissions', meta.category],
      precision: 'high',
      'security-severity': meta.severity.toFixed(1),
    },
  };
}

export function sarifLog(input: ReportInput): object {
  const rules = [...new Map(input.rules.map((r) => [r.id, r])).values()];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const keys = findingKeys(input.findings, input.sources);
  const hashes = new Map<string, string[]>();
  const hashOf = (f: Finding): string | undefined => {
    const text = input.sources?.get(f.span.file);
    if (text === undefined) return undefined;
    let h = hashes.get(f.span.file);
    if (!h) hashes.set(f.span.file, (h = lineHashes(text)));
    return h[f.span.line - 1];
  };

  const split = new Map<string, string[]>();
  const linesOf = (file: string) => {
    const text = input.sources?.get(file);
    if (text === undefined) return undefined;
    let l = split.get(file);
    if (!l) split.set(file, (l = text.split(/\r\n|\r|\n/)));
    return l;
  };

  const prefix = input.uriPrefix ?? '';
  const results = input.findings.map((f, i) => {
    const fingerprints: Record<string, string> = {};
    const lineHash = hashOf(f);
    if (lineHash) fingerprints.primaryLocationLineHash = lineHash;
    fingerprints['permlint/v1'] = keys[i]!.fingerprint;
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
      level: f.level,
      message: { text: sentence(f.message) },
      locations: [{ physicalLocation: physical(f.span, linesOf(f.span.file), prefix) }],
      partialFingerprints: fingerprints,
    };
    if (f.related?.length) {
      result.relatedLocations = f.related.map((r, j) => ({ id: j + 1, physicalLocation: physical(r.span, linesOf(r.span.file), prefix), message: { text: sentence(r.message) } }));
    }
    if (f.fixes?.length) {
      // SARIF 2.1.0 §3.55: one fix per way of fixing, its replacements grouped by file
      result.fixes = f.fixes.map((x) => ({
        description: { text: sentence(`${x.description}${x.safety === 'unsafe' ? ' (changes what the program may do: --fix=all)' : ''}`) },
        artifactChanges: [...new Set(x.replacements.map((r) => r.file))].map((file) => ({
          artifactLocation: { uri: relativeUri(file), uriBaseId: '%SRCROOT%' },
          replacements: x.replacements
            .filter((r) => r.file === file)
            .map((r) => ({ deletedRegion: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn }, ...(r.text ? { insertedContent: { text: r.text } } : {}) })),
        })),
      }));
    }
    const props: Record<string, unknown> = {};
    if (f.securitySeverity !== undefined) props['security-severity'] = f.securitySeverity.toFixed(1);
    if (f.context) props.context = f.context;
    if (f.subject) props.source = f.subject.source;
    props.confidence = f.confidence ?? 'high';
    props.role = f.role ?? 'production';
    if (f.persona) props.persona = f.persona;
    if (f.details) props.details = f.details;
    if (Object.keys(props).length) result.properties = props;
    return result;
  });

  const informationUri = homepage();
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'permlint',
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            ...(informationUri ? { informationUri } : {}),
            rules: rules.map(ruleDescriptor),
          },
        },
        // no absolute local path in a report that is uploaded and shared: the base is described, not located
        originalUriBaseIds: {
          '%SRCROOT%': { description: { text: 'The root of the repository (the scanned folder when it is not in a git repository); result URIs are relative to it.' } },
        },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

export function sarif(input: ReportInput): string {
  return `${JSON.stringify(sarifLog(input), null, 2)}\n`;
}
