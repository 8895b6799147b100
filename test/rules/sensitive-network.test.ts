import { describe, expect, it } from 'vitest';
import { fixtureFiles, ruleTester } from '../rule-tester.js';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { at, modelOf, positions } from '../semantics/where.js';
import { runRules } from '../../src/engine.js';
import { sensitiveNetwork } from '../../rules/sensitive-network.js';
import { emptyModel, noPermissions, type Declaration, type Span } from '../../src/model.js';

const FX = 'hosts-sensitive-network';
const RULE = 'sensitive-network';

const loc = (fx: string, file: string, lineHas: string, token: string) => {
  const [, line, column] = at(fx, file, lineHas, token).split(':');
  return { file, line: Number(line), column: Number(column) };
};
const SB = 'hosts-sandbox';
const w = (lineHas: string, token: string, message: string | RegExp = /./) => ({ ...loc(FX, 'deno.json', lineHas, token), level: 'warning' as const, message });

ruleTester(RULE, {
  valid: [
    {
      name: 'localhost:8080, a CLI :port, a narrow private range, [::1] with a port, a denied metadata address',
      files: { 'deno.json': JSON.stringify({ tasks: { ok: 'deno run --allow-net=localhost:8080,:8000,10.1.2.0/30,[::1]:9000 main.ts', 'ok-denied': 'deno run --allow-net=169.254.0.0/16 --deny-net=169.254.169.254 main.ts' } }) },
    },
  ],
  invalid: [
    {
      // none on the fixture's "ok", "ok-denied", "unscoped" (-N) and "fine" tasks: exactly these ten, each saying what the value reaches and the narrower grant
      name: 'each host value that reaches metadata, the Docker socket, everything, a private range or every local port',
      files: fixtureFiles(FX),
      errors: [
        w('"metadata"', '169.254.169.254', '`--allow-net=api.example.com:443`'),
        w('"link-local"', '169.254.0.0/16', 'reach `169.254.169.254`, the cloud metadata service'),
        w('"everything"', '0.0.0.0/0', 'every IPv4 address, including the cloud metadata service'),
        w('"private"', '10.0.0.0/8'),
        w('"docker"', 'unix:/var/run/docker.sock'),
        w('"loopback"', 'localhost', '`--allow-net=localhost:8080`'),
        w('"v6"', '[fd00:ec2::254]:80'),
        w('"gcp"', 'metadata.google.internal'),
        w('"mapped"', '[::ffff:169.254.169.254]'),
        w('"dev"', '127.0.0.1', '`"net": ["127.0.0.1:8080"]`'),
      ],
    },
    {
      // never the narrow sandbox of the fixture
      name: '@deno/sandbox allowNet entries read from TypeScript (deployment context)',
      files: fixtureFiles(SB),
      errors: [{ ...loc(SB, 'agent.ts', '169.254.169.254', '169.254.169.254'), level: 'error', context: 'deployment', message: /^(?=.*sandbox `metadata`)(?=.*allowNet: \[")/s }],
    },
  ],
});

describe('sensitive-network', () => {
  it('-N is left to unscoped-grant', async () => {
    const { findings } = await lint(memoryFs(fixtureFiles(FX)));
    expect(positions(findings, 'unscoped-grant')).toContain(at(FX, 'deno.json', '"unscoped"', '-N'));
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

});
