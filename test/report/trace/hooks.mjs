// A module loader hook for test/report/lazy-startup.test.ts: writes every module Node resolves
// (ESM and the CommonJS it loads through import) to stderr, one `LOADED <url>` line each. The
// hooks run in a thread of their own: the write is synchronous on fd 2, so that no line is
// still queued when the process exits.
import { writeSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  writeSync(2, `LOADED ${r.url}\n`);
  return r;
}
