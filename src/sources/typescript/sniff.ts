/**
 * The sniff that decides whether a TypeScript/JavaScript file can hold something the analyser
 * reads (src/sources/typescript/index.ts explains it): shared by the source and by the analyser,
 * which never waits for a module that the sniff rules out (it will not be analysed).
 */

/**
 * The API packages, as written in a module specifier (`'npm:@deno/sandbox@1'`, `"node:child_process"`)
 * where the analyser reads one: after `from` (imports, re-exports), `import` (also `import(…)`) or
 * `require(` (also `import x = require(…)`), short comments allowed in between
 * (bounded, so that no input makes the match scan far). The same name in any
 * other string (a table of module names, a diagnostics channel, a comment) binds nothing.
 */
const API_SPECIFIER = /(?:\bfrom|\bimport|\brequire\s*\()(?:\s|\(|\/\*[^*]{0,256}\*\/|\/\/[^\n\r\u2028\u2029]{0,256}[\n\r\u2028\u2029])*['"`](?:jsr:|npm:)?\/?(?:@netscript\/plugin-workers-core|@deno\/sandbox|(?:node:)?child_process|@david\/dax|dax-sh|https:\/\/deno\.land\/x\/dax)(?:['"`@/])/;
/**
 * Calls that name what they do: the globals the analyser reads (`new Deno.Command(…)`, also
 * `Deno["Command"]`, `Deno.run(…)`), `defineTask(…)` and `Sandbox.create(…)`.
 */
const NAMED_CALL = /\bDeno\s*\.\s*run\s*\(|\bnew\s+Deno\s*(?:\.\s*Command|\[\s*['"`]Command['"`]\s*\])\s*[(<]|\bdefineTask\s*\(|\bSandbox\s*\.\s*create\s*\(/;
/**
 * `new Worker(…)` matters only with `deno: { permissions }` in its options, which the analyser
 * resolves within the file (an object literal or a `const` of it): without the word
 * `permissions` in the file, a Worker adds nothing to the model. Most Workers (tests, web code)
 * have none.
 */
const NEW_WORKER = /\bnew\s+Worker\s*[(<]/;
const PERMISSIONS_KEY = /\bpermissions\b/;
/** A relative module specifier after `from`, `import(`, `require(` (imports and re-exports of local modules). */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport\s*\(|\brequire\s*\()\s*['"`]\.\.?\//;
/** Re-exports of a local module: a barrel between a consumer and the module that names the API. */
const RELATIVE_REEXPORT = /\bexport\s*(?:type\s+)?(?:\*|\{[^}]*\})(?:\s*as\s+[\w$]+)?\s*from\s*['"`]\.\.?\//;
/**
 * Calls an API export can make once imported from a local module under another name: a NetScript
 * builder method, a child_process function, the `TaskConfig` type.
 */
const API_USE = /\.\s*(?:permissions|entrypoint)\s*\(|\b(?:spawn|spawnSync|execFile|execFileSync|fork|execSync)\s*\(|\bTaskConfig\b/;

/** True when the text may hold something this source reads. */
export function sniff(text: string): boolean {
  if (API_SPECIFIER.test(text) || NAMED_CALL.test(text)) return true;
  if (NEW_WORKER.test(text) && PERMISSIONS_KEY.test(text)) return true;
  if (!RELATIVE_IMPORT.test(text)) return false;
  return API_USE.test(text) || RELATIVE_REEXPORT.test(text);
}

/** Whether a path can hold code at all (declaration files hold only types). */
export function holdsCode(path: string): boolean {
  return !/\.d\.[cm]?ts$/.test(path);
}
