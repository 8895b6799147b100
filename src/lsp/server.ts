/**
 * `permlint lsp`: a Language Server over stdio. For every open document it lints the editor's
 * text as that file of its repository (src/lsp/lint-text.ts, so the context is the real one and
 * the nearest config applies) and publishes the findings as diagnostics, on open and on every
 * change; closing a document clears them. Loaded only by the `lsp` command.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';
import lspNode from 'vscode-languageserver/node';
import type { CodeAction, Connection, Diagnostic, InitializeResult, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../model.js';
import type { LintOptions } from '../lint.js';
import { KNOWN_RULE_IDS } from '../lint.js';
import { docsUrl, findConfigUp, loadConfig, resolveConfig } from '../config.js';
import { lintText, scanRootFor } from './lint-text.js';

const { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, DiagnosticSeverity, CodeActionKind } = lspNode;

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, note: DiagnosticSeverity.Information } as const;

/** A finding as an LSP diagnostic: 0-based lines and UTF-16 characters, end exclusive (as permlint's spans). */
export function toDiagnostic(f: Finding, root: string): Diagnostic {
  const range = (s: Finding['span']) => ({ start: { line: s.line - 1, character: s.column - 1 }, end: { line: s.endLine - 1, character: s.endColumn - 1 } });
  const url = docsUrl(f.ruleId);
  const d: Diagnostic = { range: range(f.span), severity: SEVERITY[f.level], code: f.ruleId, source: 'permlint', message: f.message };
  if (url) d.codeDescription = { href: url };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: pathToFileURL(resolve(root, r.span.file)).href, range: range(r.span) }, message: r.message }));
  }
  return d;
}

/** The lint options for a file: the nearest config above it (errors in it are shown, and the defaults used). */
async function optionsFor(file: string, report: (message: string) => void): Promise<LintOptions> {
  const cfgPath = findConfigUp(dirname(file));
  if (!cfgPath) return {};
  try {
    const cfg = resolveConfig((await loadConfig(cfgPath, KNOWN_RULE_IDS)).config, { configDir: dirname(cfgPath), root: scanRootFor(file) });
    return { ignore: cfg.ignore, engine: cfg.engine, ...(cfg.contextOverride ? { contextOverride: cfg.contextOverride } : {}) };
  } catch (e) {
    report(`permlint: ${(e as Error).message}`);
    return {};
  }
}

/** Whether two ranges share a position (an empty request range at a position inside counts). */
function overlap(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  // one lint at a time per document; a change that arrives meanwhile is linted when it ends
  const running = new Map<string, Promise<void>>();
  const pending = new Set<string>();
  // the findings last published for each document, with their fixes (code actions)
  const published = new Map<string, { file: string; root: string; findings: Finding[] }>();

  async function validate(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc || !uri.startsWith('file:')) return;
    const file = fileURLToPath(uri);
    const version = doc.version;
    try {
      const options = await optionsFor(file, (m) => connection.console.error(m));
      const result = await lintText(file, doc.getText(), options);
      // a newer text is being linted or the document was closed: this result is stale
      if (documents.get(uri)?.version !== version) return;
      // the fixes of --fix / --fix=all, offered as code actions
      const { attachFixes, computeFixes } = await import('../fix/index.js');
      const sources = result.files;
      const findings = attachFixes(result.findings, computeFixes(result.model, sources, true), sources);
      published.set(uri, { file, root: result.root, findings });
      await connection.sendDiagnostics({ uri, version, diagnostics: findings.map((f) => toDiagnostic(f, result.root)) });
    } catch (e) {
      connection.console.error(`permlint: cannot lint ${file}: ${(e as Error).stack ?? String(e)}`);
    }
  }

  function schedule(uri: string): void {
    if (running.has(uri)) {
      pending.add(uri);
      return;
    }
    const run = validate(uri).finally(() => {
      running.delete(uri);
      if (pending.delete(uri)) schedule(uri);
    });
    running.set(uri, run);
  }

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
      serverInfo: { name: 'permlint' },
    }),
  );
  connection.onCodeAction((params) => {
    const last = published.get(params.textDocument.uri);
    if (!last) return [];
    const actions: CodeAction[] = [];
    for (const f of last.findings) {
      if (!f.fixes?.length || !overlap(toDiagnostic(f, last.root).range, params.range)) continue;
      for (const fix of f.fixes) {
        // an edit of another file is left to the command line (`permlint --fix`)
        if (fix.replacements.some((r) => resolve(last.root, r.file) !== last.file)) continue;
        const edits: TextEdit[] = fix.replacements.map((r) => ({ range: { start: { line: r.line - 1, character: r.column - 1 }, end: { line: r.endLine - 1, character: r.endColumn - 1 } }, newText: r.text }));
        actions.push({
          title: `${fix.description} (permlint ${f.ruleId}${fix.safety === 'unsafe' ? ', changes what the program may do' : ''})`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [toDiagnostic(f, last.root)],
          isPreferred: fix.safety === 'safe',
          edit: { changes: { [params.textDocument.uri]: edits } },
        });
      }
    }
    return actions;
  });
  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    pending.delete(e.document.uri);
    published.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  documents.listen(connection);
  connection.listen();
}

/** Runs until the client sends `exit` (the library then ends the process) or closes the stream. */
export async function runLanguageServer(): Promise<void> {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  await new Promise<void>((done) => {
    connection.onExit(() => done());
    process.stdin.on('end', () => done());
    startServer(connection);
  });
}
