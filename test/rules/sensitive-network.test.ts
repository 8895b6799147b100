import { describe, expect, it } from 'vitest';
import { lintFixture } from '../helpers.js';
import { at, modelOf, positions } from '../semantics/where.js';
import { runRules } from '../../src/engine.js';
import { sensitiveNetwork } from '../../rules/sensitive-network.js';
import { emptyModel, noPermissions, type Declaration, type Span } from '../../src/model.js';

const FX = 'hosts-sensitive-network';
const RULE = 'sensitive-network';

describe('sensitive-network', () => {
  it('points at each host value that reaches metadata, the Docker socket, everything, a private range or every local port', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, RULE)).toEqual([
      at(FX, 'deno.json', '"metadata"', '169.254.169.254'),
      at(FX, 'deno.json', '"link-local"', '169.254.0.0/16'),
      at(FX, 'deno.json', '"everything"', '0.0.0.0/0'),
      at(FX, 'deno.json', '"private"', '10.0.0.0/8'),
      at(FX, 'deno.json', '"docker"', 'unix:/var/run/docker.sock'),
      at(FX, 'deno.json', '"loopback"', 'localhost'),
      at(FX, 'deno.json', '"v6"', '[fd00:ec2::254]:80'),
      at(FX, 'deno.json', '"gcp"', 'metadata.google.internal'),
      at(FX, 'deno.json', '"mapped"', '[::ffff:169.254.169.254]'),
      at(FX, 'deno.json', '"dev"', '127.0.0.1'),
    ]);
  });

  it('never fires on localhost:8080, a CLI :port, a narrow private range, [::1] with a port, a denied metadata address or -N', async () => {
    const { findings } = await lintFixture(FX);
    const lines = new Set(findings.filter((f) => f.ruleId === RULE).map((f) => f.span.line));
    for (const task of ['"ok"', '"ok-denied"', '"unscoped"', '"fine"']) {
      expect(lines.has(Number(at(FX, 'deno.json', task, task).split(':')[1])), task).toBe(false);
    }
    expect(positions(findings, 'unscoped-grant')).toContain(at(FX, 'deno.json', '"unscoped"', '-N'));
  });

  it('says what the value reaches and the narrower grant', async () => {
    const { findings } = await lintFixture(FX);
    const msg = (pos: string) => findings.find((f) => f.ruleId === RULE && `${f.span.file}:${f.span.line}:${f.span.column}` === pos)!.message;
    expect(msg(at(FX, 'deno.json', '"link-local"', '169.254.0.0/16'))).toContain('reach `169.254.169.254`, the cloud metadata service');
    expect(msg(at(FX, 'deno.json', '"everything"', '0.0.0.0/0'))).toContain('every IPv4 address, including the cloud metadata service');
    expect(msg(at(FX, 'deno.json', '"loopback"', 'localhost'))).toContain('`--allow-net=localhost:8080`');
    expect(msg(at(FX, 'deno.json', '"dev"', '127.0.0.1'))).toContain('`"net": ["127.0.0.1:8080"]`');
    expect(msg(at(FX, 'deno.json', '"metadata"', '169.254.169.254'))).toContain('`--allow-net=api.example.com:443`');
  });

  it('handles sandbox allowNet entries like any declaration grant, and trusted hosts', () => {
    const model = emptyModel();
    const span = (column: number, len: number): Span => ({ file: 'sandbox.ts', line: 3, column, endLine: 3, endColumn: column + len });
    const decl: Declaration = {
      type: 'declaration',
      id: 'sandbox.ts#sandbox:1',
      declaration: 'sandbox',
      name: 'Sandbox.create',
      runtime: 'deno',
      span: span(1, 14),
      permissions: [
        { kind: 'net', mode: 'allow', scope: [{ value: 'api.example.com', span: span(15, 15) }, { value: '169.254.169.254', span: span(34, 15) }], span: span(5, 60), text: 'allowNet: [...]', via: 'config' },
      ],
      effective: noPermissions(),
      diagnostics: [],
      origin: { file: 'sandbox.ts', span: span(1, 14), source: 'typescript' },
      context: { kind: 'deployment' },
    };
    model.declarations.push(decl);
    const found = runRules(model, [sensitiveNetwork]).findings;
    expect(found.map((f) => `${f.span.line}:${f.span.column}:${f.level}`)).toEqual(['3:34:error']);
    expect(found[0]!.message).toContain('`allowNet: ["api.example.com:443"]`');
    expect(runRules(model, [sensitiveNetwork], { trusted: { hosts: ['169.254.169.254'], paths: [], programs: [] } }).findings).toEqual([]);
  });

  it('points at the written `:port` value and never at its expansion', () => {
    const model = modelOf([{ text: 'deno run --allow-net=:8080,127.0.0.1 main.ts', context: { kind: 'deployment', cwd: '' } }]);
    const found = runRules(model, [sensitiveNetwork]).findings;
    expect(found.map((f) => f.span.column)).toEqual([28]);
  });

  it('reads @deno/sandbox allowNet entries from TypeScript (deployment context), never the narrow sandbox', async () => {
    const SB = 'hosts-sandbox';
    const { findings } = await lintFixture(SB);
    expect(positions(findings, RULE)).toEqual([at(SB, 'agent.ts', '169.254.169.254', '169.254.169.254')]);
    const f = findings.find((x) => x.ruleId === RULE)!;
    expect(f.level).toBe('error');
    expect(f.message).toContain('sandbox `metadata`');
    expect(f.message).toContain('allowNet: ["');
  });
});
