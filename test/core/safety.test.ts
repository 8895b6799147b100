/**
 * permlint never executes, imports or evaluates the scanned tree, and needs nothing but read access:
 * it runs under Node's own permission model with read access to itself and the scan root only
 * (no write, no child processes, no workers), and the booby-trapped fixture's code never runs.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT } from '../helpers.js';

describe('safety', () => {
  it('lints under `node --experimental-permission` with read access only, and runs nothing from the tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-safe-'));
    const marker = join(dir, 'EXECUTED');
    const trap = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`;
    writeFileSync(join(dir, 'deno.json'), JSON.stringify({ tasks: { a: `deno run -A main.ts`, b: `node -e "${trap}"` } }));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { postinstall: `node -e "${trap}"` } }));
    writeFileSync(join(dir, 'main.ts'), `#!/usr/bin/env -S deno run -A\n${trap};\nexport default 1;\n`);
    writeFileSync(join(dir, 'permlint.config.js'), `${trap};\nmodule.exports = {};\n`);
    writeFileSync(join(dir, 'run.sh'), `#!/bin/sh\n$(${trap})\nnode -e "${trap}"\n`);
    const r = spawnSync(process.execPath, ['--experimental-permission', `--allow-fs-read=${ROOT}/`, `--allow-fs-read=${dir}/`, BIN, '--format', 'json', '--persona', 'auditor', '.'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stderr).not.toContain('ERR_ACCESS_DENIED');
    expect(r.status).toBe(1);
    const rules = JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule);
    expect(rules).toContain('allow-all');
    expect(existsSync(marker)).toBe(false);
  });
});
