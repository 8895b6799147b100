/**
 * The parser thread's code as one script: the build bundles this module and everything it loads
 * (dist/bundle/thread.cjs, scripts/bundle.mjs) with its own V8 code cache and stamp, and the
 * thread (./parser.ts `WORKER_SOURCE`) runs it when the stamp holds, else it imports the ES
 * modules as before. `MODULES` answers the thread's `import(url)` of its two modules by their
 * path under dist/; `bindings` is oxc's binding loader (its native `.node` stays a `require`).
 */
import * as bindings from 'oxc-parser/src-js/bindings';
import * as analysis from './thread.js';
import * as infer from '../../infer/thread.js';
import * as listAhead from '../../list-ahead.js';
import * as scanAhead from '../../scan-ahead.js';

export { bindings };
export const MODULES: Record<string, unknown> = {
  'src/sources/typescript/thread.js': analysis,
  'src/infer/thread.js': infer,
  'src/list-ahead.js': listAhead,
  'src/scan-ahead.js': scanAhead,
};
