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

export interface PackageJson {
  version?: string;
  homepage?: string;
  repository?: string | { type?: string; url?: string; directory?: string };
}
let pkgJson: PackageJson | undefined;
function packageJson(): PackageJson {
  if (!pkgJson) {
    try {
      pkgJson = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as PackageJson;
    } catch {
      pkgJson = {};
    }
  }
  return pkgJson;
}

export function packageVersion(): string {
  return packageJson().version ?? '0.0.0';
}

/**
 * The repository's web address from package.json `repository` (`git+https://host/o/r.git`,
 * `github:o/r`), or its `homepage`; undefined when neither is set. Only an address the package
 * states: reports never name a site nobody has checked.
 */
export function repositoryUrl(pkg: PackageJson = packageJson()): string | undefined {
  const raw = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (raw) {
    const short = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(raw);
    if (short) return `https://github.com/${short[1]}/${short[2]!.replace(/\.git$/, '')}`;
    const m = /^(?:git\+)?(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(raw);
    if (m) return `https://${m[1]}/${m[2]}`;
  }
  return pkg.homepage && /^https:\/\//.test(pkg.homepage) ? pkg.homepage.replace(/\/+$/, '') : undefined;
}

/** SARIF `informationUri`: the repository, when package.json names it. */
export function homepage(): string | undefined {
  return repositoryUrl();
}

