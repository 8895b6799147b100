import { describe, expect, it } from 'vitest';
import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FIXTURES, ROOT, runCli } from '../helpers.js';
import type { SarifLog } from '../report/sarif-helpers.js';

function results(log: SarifLog) {
  return log.runs[0]!.results.map((r) => ({
    key: `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri} ${r.message.text}`,
    line: r.locations[0]!.physicalLocation.region.startLine,
    fp: r.partialFingerprints,
  }));
}

describe('--format sarif (built CLI)', () => {
  it('fingerprints do not change when unrelated lines are inserted above the findings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-fp-'));
    writeFileSync(join(dir, 'deno.json'), '{\n  "tasks": {\n    "start": "deno run -A main.ts",\n    "dev": "deno run --allow-write main.ts"\n  }\n}\n');
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nnode --allow-fs-read=/x app.js\ndeno run -A tool.ts\n');
    const before = results(JSON.parse(runCli(['--format', 'sarif', '--persona', 'auditor', '.'], dir).stdout) as SarifLog);
    expect(before.length).toBeGreaterThanOrEqual(4);

    writeFileSync(join(dir, 'deno.json'), '{\n  "name": "@acme/app",\n  "version": "1.0.0",\n\n  "tasks": {\n    "start": "deno run -A main.ts",\n    "dev": "deno run --allow-write main.ts"\n  }\n}\n');
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n# set up\nset -eu\n\ncd "$(dirname "$0")"\nnode --allow-fs-read=/x app.js\ndeno run -A tool.ts\n');
    const after = results(JSON.parse(runCli(['--format', 'sarif', '--persona', 'auditor', '.'], dir).stdout) as SarifLog);

    expect(after.map((r) => r.key)).toEqual(before.map((r) => r.key));
    after.forEach((r, i) => {
      expect(r.line).toBeGreaterThan(before[i]!.line); // the findings really moved
      expect(r.fp).toEqual(before[i]!.fp);
    });
  });

  it('uses the same exit code as the other formats, and --output writes the file', () => {
    const dir = join(FIXTURES, 'demo');
    const stylish = runCli(['.'], dir);
    const out = join(mkdtempSync(join(tmpdir(), 'permlint-sarif-')), 'out.sarif');
    const sarif = runCli(['--format', 'sarif', '--output', out, '.'], dir);
    expect(stylish.code).toBe(1);
    expect(sarif.code).toBe(stylish.code);
    expect(sarif.stdout).toBe('');
    expect(runCli(['--format', 'sarif', '--fail-on', 'never', '.'], dir).code).toBe(0);
    const log = JSON.parse(readFileSync(out, 'utf8')) as SarifLog;
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.tool.driver.name).toBe('permlint');
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);
  });

  it('relatedLocations carry the caller of a task run by a deployment file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-rel-'));
    writeFileSync(join(dir, 'deno.json'), '{ "tasks": { "start": "deno run -A main.ts" } }\n');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM denoland/deno:2.1.4\nCMD ["deno", "task", "start"]\n');
    const json = JSON.parse(runCli(['--format', 'json', '.'], dir).stdout) as { findings: { rule: string; related?: unknown[] }[] };
    const withRelated = json.findings.filter((f) => f.related?.length);
    expect(withRelated.length).toBeGreaterThan(0);
    const log = JSON.parse(runCli(['--format', 'sarif', '.'], dir).stdout) as SarifLog;
    const sarifRelated = log.runs[0]!.results.filter((r) => r.relatedLocations?.length);
    expect(sarifRelated.length).toBe(withRelated.length);
    for (const r of sarifRelated) {
      for (const l of r.relatedLocations!) {
        expect(l.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
        expect(l.message.text.length).toBeGreaterThan(0);
      }
    }
  });

  it('leaves baselined findings out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-bl-'));
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\nnode --allow-fs-read=/x app.js\n');
    expect(runCli(['--write-baseline', 'b.json', '.'], dir).code).toBe(0);
    writeFileSync(join(dir, 'run2.sh'), '#!/bin/sh\nnode --allow-fs-read=/y app.js\n');
    const r = runCli(['--format', 'sarif', '--baseline', 'b.json', '.'], dir);
    expect(r.code).toBe(1);
    const uris = (JSON.parse(r.stdout) as SarifLog).runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(['run2.sh']);
  });

  it('percent-encodes URIs and keeps forward slashes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-uri-'));
    writeFileSync(join(dir, 'my script#1.sh'), '#!/bin/sh\nnode --allow-fs-read=/x app.js\n');
    const log = JSON.parse(runCli(['--format', 'sarif', '.'], dir).stdout) as SarifLog;
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('my%20script%231.sh');
  });
});

describe('action.yml (composite GitHub Action)', () => {
  interface Step {
    id?: string;
    name: string;
    if?: string;
    uses?: string;
    run?: string;
    shell?: string;
    env?: Record<string, string>;
    with?: Record<string, string>;
  }
  interface Action {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: Step[] };
  }
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
  const step = (name: string) => action.runs.steps.find((s) => s.name === name)!;

  it('is a composite action that uploads with upload-sarif under the permlint category', () => {
    expect(action.runs.using).toBe('composite');
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with).toEqual({ sarif_file: '${{ inputs.sarif-file }}', category: '${{ inputs.category }}' });
    expect(action.inputs.category!.default).toBe('permlint');
    expect(action.inputs['fail-on']!.default).toBe('error');
    expect(upload.if).toContain("steps.scan.outputs.sarif-written == 'true'");
    // inputs reach shell scripts through env, never spliced into the script text
    for (const s of action.runs.steps) if (s.run) expect(s.run).not.toContain('${{');
  });

  /** Runs a step's script as the runner would: env from its `env:` with inputs filled in, permlint on PATH. */
  function runStep(s: Step, cwd: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
    const bin = mkdtempSync(join(tmpdir(), 'permlint-bin-'));
    writeFileSync(join(bin, 'permlint'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/permlint.js')}" "$@"\n`);
    chmodSync(join(bin, 'permlint'), 0o755);
    const output = join(bin, 'output');
    writeFileSync(output, '');
    const values = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), ...inputs };
    const env = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, n: string) => values[n] ?? '')]));
    // as the runner runs `shell: bash`: bash --noprofile --norc -eo pipefail <script>
    const script = join(bin, 'step.sh');
    writeFileSync(script, s.run!);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output, ...env, ...extraEnv } });
    const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
  }

  it('the scan step writes SARIF, prints annotations and the report, and records the exit code; the last step fails the job', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'permlint-action-')), 'repo');
    cpSync(join(FIXTURES, 'demo'), dir, { recursive: true });
    const summary = join(dir, '..', 'summary.md');
    const r = runStep(step('Run permlint'), dir, {}, { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(0);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.outputs['sarif-written']).toBe('true');
    const log = JSON.parse(readFileSync(join(dir, 'permlint.sarif'), 'utf8')) as SarifLog;
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/^::error file=/m);
    expect(r.stdout).toMatch(/✖ \d+ problems/);
    expect(readFileSync(summary, 'utf8')).toContain('## permlint');

    const fail = step('Fail per fail-on');
    expect(fail.if).toBe("steps.scan.outputs.exit-code != '0'");
    const f = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', fail.run!], { encoding: 'utf8', env: { ...process.env, PERMLINT_EXIT: r.outputs['exit-code']!, PERMLINT_FAIL_ON: 'error' } });
    expect(f.status).toBe(1);
  });

  it('fail-on never gives exit code 0; a bad config gives 2 and no SARIF', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'permlint-action-')), 'repo');
    cpSync(join(FIXTURES, 'demo'), dir, { recursive: true });
    expect(runStep(step('Run permlint'), dir, { 'fail-on': 'never', annotations: 'false', summary: 'false' }).outputs['exit-code']).toBe('0');
    writeFileSync(join(dir, 'permlint.config.json'), '{"rules": {"alow-all": "off"}}');
    const bad = runStep(step('Run permlint'), dir, { 'sarif-file': 'out/x.sarif' });
    expect(bad.outputs['exit-code']).toBe('2');
    expect(bad.outputs['sarif-written']).toBeUndefined();
    expect(bad.stderr).toContain('did you mean `allow-all`');
  });
});
