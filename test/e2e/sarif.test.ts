import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, runMain } from '../helpers.js';
import type { SarifLog } from '../report/sarif-helpers.js';

function results(log: SarifLog) {
  return log.runs[0]!.results.map((r) => ({
    key: `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri} ${r.message.text}`,
    line: r.locations[0]!.physicalLocation.region.startLine,
    fp: r.partialFingerprints,
  }));
}

describe('--format sarif (the CLI in process)', () => {
  it('fingerprints do not change when unrelated lines are inserted above the findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-fp-'));
    writeFileSync(join(dir, 'deno.json'), '{\n  "tasks": {\n    "start": "deno run -A main.ts",\n    "dev": "deno run --allow-write main.ts"\n  }\n}\n');
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nnode --allow-fs-read=/x app.js\ndeno run -A tool.ts\n');
    const before = results(JSON.parse((await runMain(['--format', 'sarif', '--persona', 'auditor', '.'], dir)).stdout) as SarifLog);
    expect(before.length).toBeGreaterThanOrEqual(4);

    writeFileSync(join(dir, 'deno.json'), '{\n  "name": "@acme/app",\n  "version": "1.0.0",\n\n  "tasks": {\n    "start": "deno run -A main.ts",\n    "dev": "deno run --allow-write main.ts"\n  }\n}\n');
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n# set up\nset -eu\n\ncd "$(dirname "$0")"\nnode --allow-fs-read=/x app.js\ndeno run -A tool.ts\n');
    const after = results(JSON.parse((await runMain(['--format', 'sarif', '--persona', 'auditor', '.'], dir)).stdout) as SarifLog);

    expect(after.map((r) => r.key)).toEqual(before.map((r) => r.key));
    after.forEach((r, i) => {
      expect(r.line).toBeGreaterThan(before[i]!.line); // the findings really moved
      expect(r.fp).toEqual(before[i]!.fp);
    });
  });

  it('uses the same exit code as the other formats, and --output writes the file', async () => {
    const dir = join(FIXTURES, 'demo');
    const stylish = await runMain(['.'], dir);
    const out = join(mkdtempSync(join(tmpdir(), 'permlint-sarif-')), 'out.sarif');
    const sarif = await runMain(['--format', 'sarif', '--output', out, '.'], dir);
    expect(stylish.code).toBe(1);
    expect(sarif.code).toBe(stylish.code);
    expect(sarif.stdout).toBe('');
    expect((await runMain(['--format', 'sarif', '--fail-on', 'never', '.'], dir)).code).toBe(0);
    const log = JSON.parse(readFileSync(out, 'utf8')) as SarifLog;
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.tool.driver.name).toBe('permlint');
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);
  });

  it('relatedLocations carry the caller of a task run by a deployment file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-rel-'));
    writeFileSync(join(dir, 'deno.json'), '{ "tasks": { "start": "deno run -A main.ts" } }\n');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM denoland/deno:2.1.4\nCMD ["deno", "task", "start"]\n');
    const json = JSON.parse((await runMain(['--format', 'json', '.'], dir)).stdout) as { findings: { rule: string; related?: unknown[] }[] };
    const withRelated = json.findings.filter((f) => f.related?.length);
    expect(withRelated.length).toBeGreaterThan(0);
    const log = JSON.parse((await runMain(['--format', 'sarif', '.'], dir)).stdout) as SarifLog;
    const sarifRelated = log.runs[0]!.results.filter((r) => r.relatedLocations?.length);
    expect(sarifRelated.length).toBe(withRelated.length);
    for (const r of sarifRelated) {
      for (const l of r.relatedLocations!) {
        expect(l.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
        expect(l.message.text.length).toBeGreaterThan(0);
      }
    }
  });

  it('leaves baselined findings out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-bl-'));
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nnode --allow-fs-read=/x app.js\n');
    expect((await runMain(['--write-baseline', 'b.json', '.'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'run2.sh'), '#!/bin/sh\nnode --allow-fs-read=/y app.js\n');
    const r = await runMain(['--format', 'sarif', '--baseline', 'b.json', '.'], dir);
    expect(r.code).toBe(1);
    const uris = (JSON.parse(r.stdout) as SarifLog).runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(['run2.sh']);
  });

  it('percent-encodes URIs and keeps forward slashes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-uri-'));
    writeFileSync(join(dir, 'my script#1.sh'), '#!/bin/sh\nnode --allow-fs-read=/x app.js\n');
    const log = JSON.parse((await runMain(['--format', 'sarif', '.'], dir)).stdout) as SarifLog;
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('my%20script%231.sh');
  });
});
