/**
 * The functions of `semver` permlint uses, each loaded on its first call from its own module
 * (`semver/functions/satisfies`, `semver/ranges/subset`, …). `semver`'s entry module requires
 * about fifty files (every range and comparison helper); the functions used here need about
 * twenty, and a run that never compares a version (most pre-commit runs) loads none. Modules
 * import this as `import * as semver from './semver.js'` and call `semver.satisfies(…)` as before.
 */
import { createRequire } from 'node:module';
import type * as Semver from 'semver';

const require = createRequire(import.meta.url);

/** `fn` of the module at `path` under semver/, required on the first call. */
function lazy<F extends (...a: never[]) => unknown>(path: string): F {
  let loaded: F | undefined;
  return ((...a: Parameters<F>) => (loaded ??= require(`semver/${path}`) as F)(...a)) as F;
}

export const valid = lazy<typeof Semver.valid>('functions/valid');
export const validRange = lazy<typeof Semver.validRange>('ranges/valid');
export const satisfies = lazy<typeof Semver.satisfies>('functions/satisfies');
export const subset = lazy<typeof Semver.subset>('ranges/subset');
export const coerce = lazy<typeof Semver.coerce>('functions/coerce');
export const compare = lazy<typeof Semver.compare>('functions/compare');
export const gt = lazy<typeof Semver.gt>('functions/gt');
export const major = lazy<typeof Semver.major>('functions/major');
export const intersects = lazy<typeof Semver.intersects>('ranges/intersects');
