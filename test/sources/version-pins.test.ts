import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';
import { parseImage, readTomlTools, tagVersion, versionSpec } from '../../src/sources/version-pins.js';

describe('version pins', () => {
  it('reads .nvmrc, .dvmrc, .tool-versions, mise.toml and exact package.json engines', async () => {
    const { model } = await lintFixture('deploy-pins');
    const pins = (model.pins ?? []).map((p) => `${p.runtime} ${p.version} ${p.exact ? 'exact' : 'floating'} ${p.span.file}:${p.span.line}:${p.span.column}`);
    expect(pins).toEqual(
      expect.arrayContaining([
        'node 20.3.0 exact .nvmrc:1:1',
        'deno 1.40.0 exact .dvmrc:2:1',
        'node 22.4.0 exact .tool-versions:1:8',
        'deno 2.8.1 exact .tool-versions:2:6',
        'node 24.13.0 exact mise.toml:5:10',
        'deno 2.5.2 exact mise.toml:6:21',
        'node 20.5.0 exact svc/package.json:1:34',
        'node 22 floating floating/.node-version:1:1',
        'node 20.3 floating floating/Dockerfile:1:6',
        'deno 1 floating floating/Dockerfile:2:6',
      ]),
    );
    // `lts/*`, `node:lts`, `latest`, `>=2`, python: not pins of a runtime version
    expect(pins.filter((p) => p.includes('floating/.nvmrc') || p.includes('floating/Dockerfile:3') || p.includes('floating/Dockerfile:4'))).toEqual([]);
    expect(pins.filter((p) => p.startsWith('deno') && p.includes('package.json'))).toEqual([]);
    expect(pins).toHaveLength(10);
  });

  it('parses image references and tags', () => {
    expect(parseImage('docker.io/library/node:20.3.0-alpine@sha256:abc')).toMatchObject({ runtime: 'node', tag: '20.3.0-alpine' });
    expect(parseImage('denoland/deno:alpine-2.1.4')).toMatchObject({ runtime: 'deno', tag: 'alpine-2.1.4' });
    expect(parseImage('ghcr.io/acme/node:20')).toBeUndefined();
    expect(parseImage('localhost:5000/node')).toMatchObject({ runtime: 'node' });
    expect(tagVersion('alpine-2.1.4')?.text).toBe('2.1.4');
    expect(tagVersion('lts-alpine')).toBeUndefined();
    expect(versionSpec('20.x')).toEqual({ version: '20', exact: false });
    expect(versionSpec('v1.40.0')).toEqual({ version: '1.40.0', exact: true });
    expect(versionSpec('lts/*')).toBeUndefined();
  });

  it('reads mise.toml tools in every TOML form and reports a broken file', async () => {
    const toml = '[env]\nnode = "x"\n[tools]\nnode = "20"\n"deno" = { version = "2.1.0", os = ["linux"] }\nbun = ["1.1", "1.0"]\n[tools.python]\nversion = \'3.11\'\n';
    expect(await readTomlTools(toml)).toEqual({
      tools: [
        { name: 'node', value: '20', at: toml.indexOf('20') },
        { name: 'deno', value: '2.1.0', at: toml.indexOf('2.1.0') },
        { name: 'bun', value: '1.1', at: toml.indexOf('1.1') },
        { name: 'python', value: '3.11', at: toml.indexOf('3.11') },
      ],
    });
    expect(await readTomlTools('tools.node = "22.1.0"\n')).toEqual({ tools: [{ name: 'node', value: '22.1.0', at: 14 }] });
    expect(await readTomlTools('[tools]\nnode = "20\n')).toHaveProperty('error');
  });

  it('flags exact pins and floating lines whose every release is affected, and nothing else', async () => {
    const { findings } = await lintFixture('deploy-pins');
    expect(brief(findings).sort()).toEqual(
      [
        'vulnerable-runtime .dvmrc:2:1 error',
        'vulnerable-runtime .nvmrc:1:1 error',
        'vulnerable-runtime .tool-versions:1:8 error',
        'vulnerable-runtime floating/Dockerfile:1:6 error',
        'vulnerable-runtime floating/Dockerfile:2:6 error',
        'vulnerable-runtime mise.toml:5:10 error',
        'vulnerable-runtime mise.toml:6:21 error',
        'vulnerable-runtime svc/package.json:1:34 error',
      ].sort(),
    );
  });
});
