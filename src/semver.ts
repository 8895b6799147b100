/**
 * The functions of `semver` permlint uses, loaded on first call. `semver`'s entry module requires
 * about fifty files (every range and comparison helper), which a run that never compares a
 * version (most pre-commit runs) should not pay for at start-up. Modules import this as
 * `import * as semver from './semver.js'` and call `semver.satisfies(…)` as before.
 */
import { createRequire } from 'node:module';
import type * as Semver from 'semver';

let loaded: typeof Semver | undefined;
function lib(): typeof Semver {
  return (loaded ??= createRequire(import.meta.url)('semver') as typeof Semver);
}

export const valid: typeof Semver.valid = (...a) => lib().valid(...a);
export const validRange: typeof Semver.validRange = (...a) => lib().validRange(...a);
export const satisfies: typeof Semver.satisfies = (...a) => lib().satisfies(...a);
export const subset: typeof Semver.subset = (...a) => lib().subset(...a);
export const coerce: typeof Semver.coerce = (...a) => lib().coerce(...a);
export const compare: typeof Semver.compare = (...a) => lib().compare(...a);
export const gt: typeof Semver.gt = (...a) => lib().gt(...a);
export const major: typeof Semver.major = (...a) => lib().major(...a);
export const intersects: typeof Semver.intersects = (...a) => lib().intersects(...a);
