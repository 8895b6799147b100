/**
 * Editors: `--stdin --stdin-filename` lints unsaved text as that file of its repository, and
 * `permlint lsp` is a Language Server, driven here by a real LSP client (the protocol package's
 * JSON-RPC connection over the server's stdio): open a document, receive diagnostics with exact
 * ranges, edit it, receive the update, close it, shut down.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import lspClient from 'vscode-languageserver-protocol/node';
import type { CodeAction, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver-protocol';
import { BIN, runMain } from '../helpers.js';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, PublishDiagnosticsNotification, ShutdownRequest, ExitNotification, CodeActionRequest } = lspClient;

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-editor-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

// on disk: a task that a Dockerfile runs (so deno.json's `start` is a deployment task)
const SAVED = '{\n  "tasks": {\n    "start": "deno run --frozen --allow-net=api.example.com main.ts"\n  }\n}\n';
const EDITED = '{\n  "tasks": {\n    "start": "deno run --frozen -A main.ts"\n  }\n}\n';
const FILES = { 'deno.json': SAVED, Dockerfile: 'FROM denoland/deno:2.8.1\nUSER deno\nCMD ["deno", "task", "start"]\n' };
// (dockerfile-ast itself uses vscode-languageserver-types and -textdocument)
const LSP_PACKAGES = /vscode-languageserver(\/|-protocol)|vscode-jsonrpc/;

describe('--stdin --stdin-filename', () => {
  // the first case reads a real standard input (a process); the others call main() in process with the text as its stdin
  it('lints the text as that file, in the repository context (a task a Dockerfile runs is deployment)', async () => {
    const dir = repo(FILES);
    const r = spawnSync(process.execPath, [BIN, '--stdin', '--stdin-filename', 'deno.json', '--format', 'json'], { cwd: dir, input: EDITED, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; column: number; endColumn: number; level: string; context: string }[] }).findings;
    const allowAll = findings.find((f) => f.rule === 'allow-all')!;
    expect(allowAll).toMatchObject({ file: 'deno.json', line: 3, column: 33, endColumn: 35, level: 'error', context: 'deployment' });
    // only that file's findings, and the saved file is untouched
    expect(findings.every((f) => f.file === 'deno.json')).toBe(true);
    expect(readFileSync(join(dir, 'deno.json'), 'utf8')).toBe(SAVED);
    // the same text saved as-is gives the same findings
    writeFileSync(join(dir, 'deno.json'), EDITED);
    const saved = await runMain(['--format', 'json', '.'], dir);
    expect((JSON.parse(saved.stdout) as { findings: { file: string }[] }).findings.filter((f) => f.file === 'deno.json')).toEqual(findings);
  });

  it('a file that is not saved yet is linted by its name; --stdin needs --stdin-filename', async () => {
    const dir = repo(FILES);
    const r = await runMain(['--stdin', '--stdin-filename', 'scripts/new.sh', '--format', 'json'], dir, {}, '#!/bin/sh\nnode --allow-child-process app.js\n');
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number }[] }).findings.map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual(['permission-model-disabled scripts/new.sh:2']);
    const bad = await runMain(['--stdin'], dir, {}, '');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--stdin needs --stdin-filename');
  });
});

describe('permlint lsp', () => {
  it('publishes diagnostics on open and on change, with exact ranges; clears them on close', async () => {
    const dir = repo(FILES);
    const uri = pathToFileURL(join(dir, 'deno.json')).href;
    const server = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    const published: PublishDiagnosticsParams[] = [];
    const waiters: { pred: (p: PublishDiagnosticsParams) => boolean; done: (p: PublishDiagnosticsParams) => void }[] = [];
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      published.push(p);
      for (const w of [...waiters]) {
        if (!w.pred(p)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.done(p);
      }
    });
    const next = (pred: (p: PublishDiagnosticsParams) => boolean) =>
      new Promise<PublishDiagnosticsParams>((done) => {
        const seen = published.find(pred);
        if (seen) done(seen);
        else waiters.push({ pred, done });
      });
    connection.listen();

    const init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, workspaceFolders: null });
    expect(init.serverInfo?.name).toBe('permlint');
    await connection.sendNotification(InitializedNotification.type, {});

    // open the saved text: a scoped grant, nothing to say
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: SAVED } });
    const opened = await next((p) => p.uri === uri && p.version === 1);
    expect(opened.diagnostics).toEqual([]);

    // edit: `-A` in a deployment task
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 2, character: 32 }, end: { line: 2, character: 59 } }, text: '-A' }],
    });
    const changed = await next((p) => p.uri === uri && p.version === 2);
    const allowAll = changed.diagnostics.find((d) => d.code === 'allow-all')!;
    expect(allowAll).toMatchObject({ source: 'permlint', severity: 1, range: { start: { line: 2, character: 32 }, end: { line: 2, character: 34 } } });
    expect(allowAll.message).toContain('`-A`');
    // the caller that makes it a deployment task is a related location
    expect(allowAll.relatedInformation?.[0]?.location.uri).toBe(pathToFileURL(join(dir, 'Dockerfile')).href);

    // fixed again: the diagnostics go away
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 3 }, contentChanges: [{ text: SAVED }] });
    expect((await next((p) => p.uri === uri && p.version === 3)).diagnostics).toEqual([]);

    await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await next((p) => p.uri === uri && p.version === undefined && p.diagnostics.length === 0);

    await connection.sendRequest(ShutdownRequest.type);
    const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
    await connection.sendNotification(ExitNotification.type);
    expect(await exited).toBe(0);
    connection.dispose();
    expect(stderr).toBe('');
  });

  it('offers the fixes of --fix as code actions on the diagnostics they answer', async () => {
    const SPACED = '{\n  "tasks": {\n    "start": "deno run --frozen --allow-net api.example.com main.ts"\n  }\n}\n';
    const dir = repo({ ...FILES, 'deno.json': SPACED });
    const uri = pathToFileURL(join(dir, 'deno.json')).href;
    const server = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    const first = new Promise<PublishDiagnosticsParams>((done) => connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      if (p.uri === uri) done(p);
    }));
    connection.listen();
    const init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, workspaceFolders: null });
    expect(init.capabilities.codeActionProvider).toBeTruthy();
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: SPACED } });
    const diag = (await first).diagnostics.find((d) => d.code === 'ineffective-flag')!;
    expect(diag.range).toEqual({ start: { line: 2, character: 32 }, end: { line: 2, character: 59 } }); // `--allow-net api.example.com`
    const actions = (await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } })) as CodeAction[];
    const fix = actions.find((a) => a.isPreferred)!;
    expect(fix.kind).toBe('quickfix');
    expect(fix.diagnostics?.[0]?.code).toBe('ineffective-flag');
    // applied, the edits give the flag its value
    const lines = SPACED.split('\n');
    const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    const edits = [...(fix.edit!.changes![uri] as TextEdit[])].sort((a, b) => offset(b.range.start) - offset(a.range.start));
    let text = SPACED;
    for (const e of edits) text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
    expect(text).toContain('"deno run --frozen --allow-net=api.example.com main.ts"');
    // a range with no fixable diagnostic: no action
    expect(await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, context: { diagnostics: [] } })).toEqual([]);
    await connection.sendRequest(ShutdownRequest.type);
    const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
    await connection.sendNotification(ExitNotification.type);
    expect(await exited).toBe(0);
    connection.dispose();
  });

  it('is loaded only for the lsp command: other commands do not load the language server packages', () => {
    const r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'module' } });
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(r.stderr).not.toMatch(LSP_PACKAGES);
    const lint = spawnSync(process.execPath, [BIN, '--format', 'json', '.'], { cwd: repo(FILES), encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'module' } });
    expect(lint.stderr).not.toMatch(LSP_PACKAGES);
    // (the check can fail: the lsp command does load them)
    expect(spawnSync(process.execPath, [BIN, 'lsp'], { input: '', encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'module' } }).stderr).toMatch(LSP_PACKAGES);
  });
});
