import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { advisoriesFor, firstFixed, loadAdvisories, scopeOf, severityOf } from '../../src/advisories.js';
import { vulnerableRuntime } from '../../rules/vulnerable-runtime.js';
import { emptyModel, type RuntimePin } from '../../src/model.js';
import { fixtureFiles, ruleTester } from '../rule-tester.js';

const span = { file: 'x', line: 1, column: 1, endLine: 1, endColumn: 2 };
const pin = (runtime: 'deno' | 'node', version: string, exact: boolean): RuntimePin => ({ runtime, text: version, version, exact, span, source: 'version-pin', context: 'development' });
const run = (...pins: RuntimePin[]) => {
  const model = emptyModel();
  model.pins = pins;
  return vulnerableRuntime.check({ model, options: {}, trusted: { hosts: [], paths: [], programs: [] } });
};

describe('vulnerable-runtime', () => {
  it('ships valid advisory data: semver ranges, fixed versions outside them', () => {
    const data = loadAdvisories();
    expect(data.advisories.length).toBeGreaterThan(50);
    for (const a of data.advisories) {
      expect(semver.validRange(a.range), a.id).not.toBeNull();
      expect(a.fixedVersions.length, a.id).toBeGreaterThan(0);
      for (const f of a.fixedVersions) {
        expect(semver.valid(f), `${a.id} ${f}`).not.toBeNull();
        expect(semver.satisfies(f, a.range), `${a.id} ${f}`).toBe(false);
      }
    }
  });

  it('names the advisory and the first fixed version of the pinned line', () => {
    const [f] = run(pin('deno', '1.34.0', true));
    expect(f!.details).toContain('CVE-2023-33966 / GHSA-vc52-gwm3-8v2f, fixed in 1.34.1');
    expect(f!.level).toBe('error');
    const [n] = run(pin('node', '21.3.0', true));
    expect(n!.details!.join('; ')).toContain('fixed in 21.6.2');
    expect(n!.details!.join('; ')).not.toContain('fixed in 20.11.1');
  });

  it('one finding per pin with a short message: first fixed version, the count, the worst advisory; the full list in details', () => {
    const found = advisoriesFor('deno', '1.34.0', true);
    expect(found.length).toBeGreaterThan(1);
    const fs = run(pin('deno', '1.34.0', true));
    expect(fs).toHaveLength(1);
    const m = fs[0]!.message;
    expect(m.startsWith('`1.34.0` pins Deno 1.34.0: fixed in ')).toBe(true);
    expect(m).toContain(`; ${found.length} advisories of the permission or sandbox model, the worst `);
    expect(m).toMatch(/\(\d+\.\d\); pin [0-9.]+ or later$/);
    expect(fs[0]!.message.length).toBeLessThan(220);
    expect(fs[0]!.details).toHaveLength(found.length);
  });

  it('never reports out-of-scope advisories', () => {
    const data = loadAdvisories();
    const oos = data.advisories.filter((a) => scopeOf(a) === 'out-of-scope');
    expect(oos.length).toBeGreaterThan(0);
    // deno 2.1.1 is in the out-of-scope `<2.1.2` range; none of those ids may appear
    const found = advisoriesFor('deno', '2.1.1', true);
    for (const a of oos) expect(found.map((x) => x.id)).not.toContain(a.id);
    const [f] = run(pin('deno', '2.1.1', true));
    for (const a of oos) expect(f!.message).not.toContain(a.id);
  });

  it('flags a floating line only when every release it can resolve to is affected', () => {
    expect(run(pin('node', '22', false))).toEqual([]);
    expect(run(pin('node', '20.3', false))).toHaveLength(1);
    expect(run(pin('deno', '1', false))).toHaveLength(1);
    expect(run(pin('deno', '2.8.1', true))).toEqual([]);
  });

  it('takes level and severity from the most severe advisory', () => {
    const a = loadAdvisories().advisories.find((x) => x.id.startsWith('CVE-2022-24783'))!;
    expect(severityOf(a)).toEqual({ score: 10, level: 'error' });
    expect(firstFixed(a, '1.19.0')).toBe('1.20.3');
  });
});

const dockerfile = (...from: string[]) => ({ Dockerfile: [...from.map((f) => `FROM ${f}`), 'CMD ["node", "server.js"]', ''].join('\n') });

ruleTester('vulnerable-runtime', {
  valid: [
    { name: 'Deno 2.8.1 and node:lts-alpine in a Dockerfile', files: fixtureFiles('deploy-dockerfile-safe') },
    { name: 'pins of the first fixed versions, and a floating line that can resolve to a fixed release', files: dockerfile('denoland/deno:2.8.1', 'node:20.20.2', 'node:22') },
  ],
  invalid: [
    {
      // one finding per pin, at the pin (the image reference as written, ARG and all), never at the Dockerfile.worker's node:22-alpine
      name: 'the base images of a Dockerfile',
      files: fixtureFiles('deploy-dockerfile'),
      errors: [
        { file: 'Dockerfile', at: 'denoland/deno:${DENO_VERSION}', level: 'error', message: /^`denoland\/deno:2\.1\.4` pins Deno 2\.1\.4: fixed in \d+\.\d+\.\d+; \d+ advisories of the permission or sandbox model, the worst / },
        { file: 'Dockerfile', at: 'node:20.3.0-bookworm-slim', level: 'error', message: /^`node:20\.3\.0-bookworm-slim` pins Node\.js 20\.3\.0: fixed in / },
      ],
    },
    {
      // not the matrix's 2.8.1 nor the container job's denoland/deno:2.8.1
      name: 'setup-deno and setup-node versions in a workflow',
      files: fixtureFiles('deploy-actions'),
      errors: [
        { file: '.github/workflows/ci.yml', at: '1.40.0', level: 'error', context: 'ci', message: /^`1\.40\.0` pins Deno 1\.40\.0: fixed in / },
        { file: '.github/workflows/ci.yml', at: '20.3.0', level: 'error', context: 'ci', message: /^`20\.3\.0` pins Node\.js 20\.3\.0: fixed in / },
      ],
    },
    {
      // the level is the worst advisory's: error, warning, or a note when every advisory of the release is of low severity
      name: 'the release just before a fix, and a floating line whose every release is affected',
      files: dockerfile('denoland/deno:2.8.0', 'node:20.3', 'node:20.20.1'),
      errors: [
        { file: 'Dockerfile', at: 'denoland/deno:2.8.0', level: 'warning', message: '`denoland/deno:2.8.0` pins Deno 2.8.0: fixed in 2.8.1' },
        { file: 'Dockerfile', at: 'node:20.3', level: 'error', message: '`node:20.3` pins Node.js 20.3.x (every release it can resolve to): fixed in ' },
        { file: 'Dockerfile', at: 'node:20.20.1', level: 'note', message: '`node:20.20.1` pins Node.js 20.20.1: fixed in 20.20.2' },
      ],
    },
  ],
});
