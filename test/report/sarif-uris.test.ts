/**
 * What SARIF says about where things are: informationUri and rule help links only from the
 * repository package.json names (never a site nobody checked), result URIs relative to the
 * repository when the scan root is a folder inside it, and no absolute local path.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryUrl } from '../../src/config.js';
import { runMain } from '../helpers.js';
import type { SarifLog } from './sarif-helpers.js';

describe('SARIF addresses', () => {
  it('the repository address comes from package.json repository (any npm form) or an https homepage, else none', async () => {
    expect(repositoryUrl({ repository: { type: 'git', url: 'git+https://github.com/acme/permlint.git' } })).toBe('https://github.com/acme/permlint');
    expect(repositoryUrl({ repository: 'github:acme/permlint' })).toBe('https://github.com/acme/permlint');
    expect(repositoryUrl({ repository: 'acme/permlint' })).toBe('https://github.com/acme/permlint');
    expect(repositoryUrl({ repository: { url: 'git+ssh://git@gitlab.example.com/sec/permlint.git' } })).toBe('https://gitlab.example.com/sec/permlint');
    expect(repositoryUrl({ homepage: 'https://example.org/permlint/' })).toBe('https://example.org/permlint');
    expect(repositoryUrl({ homepage: 'http://insecure.example' })).toBeUndefined();
    expect(repositoryUrl({})).toBeUndefined();
  });

  it('result URIs are relative to the repository root when permlint runs in a subfolder; no absolute path anywhere', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'permlint-sarif-repo-'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    mkdirSync(join(repo, 'services', 'api'), { recursive: true });
    writeFileSync(join(repo, 'services', 'api', 'run.sh'), '#!/bin/sh\nnode --allow-fs-read=/srv app.js\n');
    const sub = await runMain(['--format', 'sarif', '.'], join(repo, 'services', 'api'));
    expect(sub.code).toBe(1);
    const log = JSON.parse(sub.stdout) as SarifLog;
    const loc = log.runs[0]!.results[0]!.locations[0]!.physicalLocation;
    expect(loc.artifactLocation).toEqual({ uri: 'services/api/run.sh', uriBaseId: '%SRCROOT%' });
    expect(sub.stdout).not.toContain(repo);
    // the other formats stay relative to where permlint runs
    const json = JSON.parse((await runMain(['--format', 'json', '.'], join(repo, 'services', 'api'))).stdout) as { findings: { file: string }[] };
    expect(json.findings[0]!.file).toBe('run.sh');
    // at the repository root there is no prefix
    const top = JSON.parse((await runMain(['--format', 'sarif', '.'], repo)).stdout) as SarifLog;
    expect(top.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('services/api/run.sh');
  });
});
