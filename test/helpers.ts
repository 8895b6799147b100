/** Test helpers: lint a fixture in-process, or run the built CLI as a subprocess. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { lint } from '../src/lint.js';
import type { Finding, Model } from '../src/model.js';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
export const FIXTURES = resolve(ROOT, 'fixtures');
export const BIN = resolve(ROOT, 'bin/permlint.js');

export async function lintDir(dir: string, paths: string[] = ['.']): Promise<{ findings: Finding[]; model: Model }> {
  const { findings, model } = await lint(paths, { cwd: dir });
  return { findings, model };
}

export async function lintFixture(name: string, paths?: string[]) {
  return lintDir(resolve(FIXTURES, name), paths);
}

/** `rule file:line:col level` lines, for compact assertions. */
export function brief(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.span.file}:${f.span.line}:${f.span.column} ${f.level}`);
}

export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
