// The real runtimes the differential tests compare the grammars with, installed on demand from
// the npm registry into .cache/runtimes (never into package-lock.json: the registry serves only
// some platforms' Deno builds, which would break `npm ci` everywhere else).
//   node scripts/runtimes.mjs deno   → prints the path of the Deno binary, installing it if needed
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DENO_VERSION = '2.9.6';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.cache', 'runtimes');

function denoPackage() {
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  if (process.platform === 'linux') return `@deno/linux-${arch}-glibc`;
  if (process.platform === 'darwin') return `@deno/darwin-${arch}`;
  return `@deno/win32-${arch}`;
}

/** Path of the Deno binary of DENO_VERSION; installs it first when missing. */
export function denoBinary() {
  const pkg = denoPackage();
  const exe = join(CACHE, 'node_modules', pkg, process.platform === 'win32' ? 'deno.exe' : 'deno');
  if (!existsSync(exe)) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', CACHE, `${pkg}@${DENO_VERSION}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  if (!existsSync(exe)) throw new Error(`could not install ${pkg}@${DENO_VERSION} into ${CACHE}`);
  return exe;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'deno') console.log(denoBinary());
