// A module loader hook for test/report/lazy-startup.test.ts: writes every module Node resolves
// (ESM and the CommonJS it loads through import) to stderr, one `LOADED <url>` line each.
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  process.stderr.write(`LOADED ${r.url}\n`);
  return r;
}
