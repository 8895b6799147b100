// The real runtimes the differential tests compare the grammars with, installed on demand from
// the npm registry into .cache/runtimes (never into package-lock.json: the registry serves only
// some platforms' builds, which would break `npm ci` everywhere else).
//   node scripts/runtimes.mjs deno           → prints the path of the Deno binary, installing it if needed
//   node scripts/runtimes.mjs node 22.23.5   → the same for a Node release (npm package node-<os>-<arch>)
// The differential tests call these only for flag sets whose answer is not in
// test/differential/answers/ yet, so a clean clone runs no runtime at all.
import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DENO_VERSION = '2.9.6';
/** The Deno 1.x release the Deno 1.x differential compares with (the last 1.x the npm package ships). */
export const DENO1_VERSION = '1.46.3';
/** The Node releases the differential tests compare with (permission-facts.md §1.16 and §2; 25.9.0 and 26.12.1 for the corners 25 and 26 add). */
export const NODE_VERSIONS = ['20.20.2', '22.23.5', '24.22.3', '25.9.0', '26.12.1'];
/** The Node release the inference ground truth runs under (--permission-audit: 24.20.0+). */
export const NODE_AUDIT_VERSION = '24.22.3';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.cache', 'runtimes');

function denoPackage() {
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  if (process.platform === 'linux') return `@deno/linux-${arch}-glibc`;
  if (process.platform === 'darwin') return `@deno/darwin-${arch}`;
  return `@deno/win32-${arch}`;
}

function npmInstall(prefix, spec) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', prefix, spec], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Path of the Deno binary of DENO_VERSION; installs it first when missing. */
export function denoBinary() {
  const pkg = denoPackage();
  const exe = join(CACHE, 'node_modules', pkg, process.platform === 'win32' ? 'deno.exe' : 'deno');
  if (!existsSync(exe)) npmInstall(CACHE, `${pkg}@${DENO_VERSION}`);
  if (!existsSync(exe)) throw new Error(`could not install ${pkg}@${DENO_VERSION} into ${CACHE}`);
  return exe;
}

/** Path of the Deno binary of DENO1_VERSION (in its own folder); installs it first when missing. */
export function deno1Binary() {
  const pkg = denoPackage();
  const prefix = join(CACHE, `deno-${DENO1_VERSION}`);
  const exe = join(prefix, 'node_modules', pkg, process.platform === 'win32' ? 'deno.exe' : 'deno');
  if (!existsSync(exe)) npmInstall(prefix, `${pkg}@${DENO1_VERSION}`);
  if (!existsSync(exe)) throw new Error(`could not install ${pkg}@${DENO1_VERSION} into ${prefix}`);
  try {
    accessSync(exe, constants.X_OK);
  } catch {
    chmodSync(exe, 0o755); // the 1.x packages ship the binary without its executable bit
  }
  return exe;
}

/** Path of the `node` binary of one release (npm package `node-<platform>-<arch>`); installs it first when missing. */
export function nodeBinary(version) {
  const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const prefix = join(CACHE, `node-${version}`);
  const exe = join(prefix, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(exe)) npmInstall(prefix, `${pkg}@${version}`);
  if (!existsSync(exe)) throw new Error(`could not install ${pkg}@${version} into ${prefix}`);
  return exe;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'deno') console.log(denoBinary());
  else if (process.argv[2] === 'deno1') console.log(deno1Binary());
  else if (process.argv[2] === 'node') console.log(nodeBinary(process.argv[3] ?? NODE_VERSIONS[0]));
}
