/**
 * The folders discovery never walks, whatever the ignore files say (src/discover.ts), which the
 * walks ahead of it skip too: the parser thread's listings (src/list-ahead.ts) and the loader's
 * guess whether a folder holds code (src/parser-warmup.ts). Its own module, with no imports: the
 * loader and the thread's bundle take it without the discovery code.
 */
export const NEVER_WALKED: ReadonlySet<string> = new Set(['node_modules', '.git', 'vendor', '.deno', 'dist', 'coverage']);
