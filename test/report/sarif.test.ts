/**
 * SARIF of every fixture: valid against the SARIF 2.1.0 JSON schema shipped with the SARIF
 * Multitool, clean under the Multitool's own GitHub and SARIF rules (`validate --rule-kind
 * "Gh;Sarif"`: no errors, no warnings), and shaped as GitHub code scanning needs it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { FIXTURES } from '../helpers.js';
import { RULES } from '../../rules/index.js';
import { sarifFor, type SarifLog } from './sarif-helpers.js';

const require = createRequire(import.meta.url);
const MULTITOOL = require('@microsoft/sarif-multitool') as string;
const SCHEMA_PATH = join(dirname(MULTITOOL), 'sarif-2.1.0.json');

const fixtures = readdirSync(FIXTURES).filter((d) => statSync(join(FIXTURES, d)).isDirectory()).sort();
const logs = new Map<string, SarifLog>();
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'permlint-sarif-'));
  for (const f of fixtures) {
    const { log } = await sarifFor(join(FIXTURES, f));
    logs.set(f, log);
    writeFileSync(join(out, `${f}.sarif`), JSON.stringify(log, null, 2));
  }
});

describe('SARIF of every fixture', () => {
  it('has fixtures to check, and some of them have results', () => {
    expect(fixtures.length).toBeGreaterThan(3);
    expect([...logs.values()].some((l) => l.runs[0]!.results.length > 0)).toBe(true);
  });

  it('validates against the SARIF 2.1.0 JSON schema shipped with the Multitool', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object;
    const ajv = new Ajv2020.default({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const failures: string[] = [];
    for (const [f, log] of logs) {
      if (!validate(log)) failures.push(`${f}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(failures).toEqual([]);
  });

  // the Multitool takes a minute or more on a busy machine: no time limit (0 turns the global one off)
  it('passes the SARIF Multitool (validate --rule-kind "Gh;Sarif") with no errors and no warnings', { timeout: 0 }, () => {
    const files = fixtures.map((f) => join(out, `${f}.sarif`));
    const report = join(out, 'multitool-report.json');
    // one invocation for every file (files first: list-valued options would swallow them)
    const r = spawnSync(MULTITOOL, ['validate', ...files, '--output', report, '--rule-kind', 'Gh;Sarif', '--log', 'ForceOverwrite'], { encoding: 'utf8', cwd: out });
    expect(r.error, String(r.error)).toBeUndefined();
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const validation = JSON.parse(readFileSync(report, 'utf8')) as { runs: { results?: { level?: string; ruleId: string; message: { arguments?: string[] }; locations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[]; invocations?: { executionSuccessful: boolean; toolExecutionNotifications?: unknown[] }[] }[] };
    const run = validation.runs[0]!;
    expect(run.invocations?.[0]?.executionSuccessful).toBe(true);
    // SARIF2005 asks for tool.driver.informationUri: permlint states only the repository address
    // package.json names, and package.json names none until the repository is published
    const pkg = JSON.parse(readFileSync(join(FIXTURES, '..', 'package.json'), 'utf8')) as { repository?: unknown; homepage?: unknown };
    const unnamed = pkg.repository === undefined && pkg.homepage === undefined;
    const problems = (run.results ?? [])
      .filter((x) => (x.level ?? 'warning') !== 'note' && x.level !== 'none')
      .filter((x) => !(unnamed && x.ruleId === 'SARIF2005'))
      .map((x) => `${x.locations?.[0]?.physicalLocation.artifactLocation.uri} ${x.ruleId} ${(x.message.arguments ?? []).join(' | ')}`);
    expect(problems).toEqual([]);
    // it really looked at every file
    expect(r.stdout).toContain(`${files.length} files scanned`);
  });

  it('lists every rule once, with what GitHub needs', () => {
    for (const log of logs.values()) {
      const rules = log.runs[0]!.tool.driver.rules;
      const ids = rules.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const r of RULES) expect(ids).toContain(r.meta.id);
      for (const r of rules) {
        expect(typeof r.properties['security-severity']).toBe('string');
        const sev = Number(r.properties['security-severity']);
        expect(sev > 0 && sev <= 10).toBe(true);
        expect(r.properties.tags).toContain('security');
        expect(r.help.text.length).toBeGreaterThan(0);
        expect(r.help.markdown.length).toBeGreaterThan(r.id.length);
        expect(r.shortDescription.text.length).toBeLessThanOrEqual(1024);
        expect(r.fullDescription.text.length).toBeLessThanOrEqual(1024);
        expect(['note', 'warning', 'error']).toContain(r.defaultConfiguration.level);
        expect(r.name).not.toBe(r.id);
      }
    }
  });

  it('reads help from the rule docs page when there is one', () => {
    const rules = [...logs.values()][0]!.runs[0]!.tool.driver.rules;
    const withDoc = RULES.map((r) => r.meta.id).filter((id) => {
      try {
        return statSync(join(FIXTURES, '..', 'docs', 'rules', `${id}.md`)).isFile();
      } catch {
        return false;
      }
    });
    for (const id of withDoc) {
      const page = readFileSync(join(FIXTURES, '..', 'docs', 'rules', `${id}.md`), 'utf8');
      const r = rules.find((x) => x.id === id)!;
      expect(r.help.markdown.startsWith(page.trim())).toBe(true);
    }
  });

  it('gives results repo-relative URIs under %SRCROOT%, full regions and both fingerprints; one run, no automationDetails', () => {
    for (const log of logs.values()) {
      expect(log.runs).toHaveLength(1);
      const run = log.runs[0]!;
      expect(run.automationDetails).toBeUndefined();
      // no absolute local path: the base is described, not located (results are repository-relative)
      expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toBeUndefined();
      expect(JSON.stringify(log)).not.toContain(FIXTURES);
      const ids = run.tool.driver.rules.map((r) => r.id);
      for (const res of run.results) {
        expect(ids[res.ruleIndex!]).toBe(res.ruleId);
        const loc = res.locations[0]!.physicalLocation;
        expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
        expect(loc.artifactLocation.uri).not.toMatch(/^(\.\/|\/|file:)|\\/);
        const { startLine, startColumn, endLine, endColumn } = loc.region;
        expect([startLine, startColumn, endLine, endColumn].every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
        expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]+:\d+$/);
        expect(res.partialFingerprints['permlint/v1']).toMatch(/^[0-9a-f]{64}$/);
        expect(res.message.text).toMatch(/[.!?]$/);
      }
    }
  });
});
