/**
 * The functions of `semver` permlint uses, each loaded on its first call from its own module
 * (`semver/functions/satisfies`, `semver/ranges/subset`, …; in the build's bundles, evaluated on
 * its first call). `semver`'s entry module requires
 * about fifty files (every range and comparison helper); the functions used here need about
 * twenty, and a run that never compares a version (most pre-commit runs) loads none. Modules
 * import this as `import * as semver from './semver.js'` and call `semver.satisfies(…)` as before.
 */
import { createRequire } from 'node:module';
import type * as Semver from 'semver';

/**
 * `fn` of the module `load` requires, on the first call. Each `load` is written out as
 * `createRequire(import.meta.url)('semver/…')` so that the build bundles those modules into the
 * CLI's and the parser thread's scripts (scripts/bundle.mjs: lazily evaluated, compiled out of
 * their code caches); the ES modules require them from node_modules.
 */
function lazy<F extends (...a: never[]) => unknown>(load: () => unknown): F {
  let loaded: F | undefined;
  return ((...a: Parameters<F>) => (loaded ??= load() as F)(...a)) as F;
}

export const valid = lazy<typeof Semver.valid>(() => createRequire(import.meta.url)('semver/functions/valid'));
export const validRange = lazy<typeof Semver.validRange>(() => createRequire(import.meta.url)('semver/ranges/valid'));
export const satisfies = lazy<typeof Semver.satisfies>(() => createRequire(import.meta.url)('semver/functions/satisfies'));
export const subset = lazy<typeof Semver.subset>(() => createRequire(import.meta.url)('semver/ranges/subset'));
export const coerce = lazy<typeof Semver.coerce>(() => createRequire(import.meta.url)('semver/functions/coerce'));
export const compare = lazy<typeof Semver.compare>(() => createRequire(import.meta.url)('semver/functions/compare'));
export const gt = lazy<typeof Semver.gt>(() => createRequire(import.meta.url)('semver/functions/gt'));
export const major = lazy<typeof Semver.major>(() => createRequire(import.meta.url)('semver/functions/major'));
export const intersects = lazy<typeof Semver.intersects>(() => createRequire(import.meta.url)('semver/ranges/intersects'));
