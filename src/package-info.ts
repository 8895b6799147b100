/**
 * Where the package's own files are (schema, rule docs, package.json) and its version. A module
 * of its own so that `permlint --version`, `--help` and `explain` load nothing else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

let pkgRoot: string | undefined;
/** The package's root folder, from src/ (tests) or dist/src/ (the built CLI). */
export function packageRoot(): string {
  if (pkgRoot) return pkgRoot;
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schema'))) return (pkgRoot = dir);
    dir = resolve(dir, '..');
  }
  return (pkgRoot = fileURLToPath(new URL('../..', import.meta.url)));
}

export function packageFile(rel: string): string {
  return join(packageRoot(), rel);
}

let pkgJson: { version?: string; homepage?: string } | undefined;
function packageJson() {
  if (!pkgJson) {
    try {
      pkgJson = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: string; homepage?: string };
    } catch {
      pkgJson = {};
    }
  }
  return pkgJson;
}

export function packageVersion(): string {
  return packageJson().version ?? '0.0.0';
}

export function homepage(): string {
  return (packageJson().homepage ?? 'https://permlint.dev').replace(/\/+$/, '');
}

