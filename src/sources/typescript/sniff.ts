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

/** The sniff by its patterns alone: its definition (`sniff` only skips the patterns whose words the text lacks; tests hold the two equal). */
export function sniffByPatterns(text: string): boolean {
  if (API_SPECIFIER.test(text) || NAMED_CALL.test(text)) return true;
  if (NEW_WORKER.test(text) && PERMISSIONS_KEY.test(text)) return true;
  if (!RELATIVE_IMPORT.test(text)) return false;
  return API_USE.test(text) || RELATIVE_REEXPORT.test(text);
}

/**
 * True when the text may hold something this source reads (`sniffByPatterns`, faster): each
 * pattern is tried only on a text that holds a word it needs (the byte search's words below, as
 * substring searches), which the engine answers far faster than the pattern's own scan
 * (API_SPECIFIER's three alternative starts are tried at every character: 47 ms of the main
 * thread's discovery of rickylabs/netscript, whose modules all pass the byte search).
 */
export function sniff(text: string): boolean {
  if (holdsText(text, SPECIFIER_PARTS) && API_SPECIFIER.test(text)) return true;
  if ((text.includes('Deno') || holdsText(text, CALL_PARTS)) && NAMED_CALL.test(text)) return true;
  if (text.includes('Worker') && text.includes('missions') && NEW_WORKER.test(text) && PERMISSIONS_KEY.test(text)) return true;
  if (!text.includes('./') || !RELATIVE_IMPORT.test(text)) return false;
  return (holdsText(text, API_USE_PARTS) && API_USE.test(text)) || (text.includes('xport') && RELATIVE_REEXPORT.test(text));
}

const holdsText = (text: string, words: readonly string[]) => {
  for (let i = 0; i < words.length; i++) if (text.includes(words[i]!)) return true;
  return false;
};

/**
 * What `\s` may match, on a text's UTF-8: the ASCII blanks (tab, line feed, vertical tab, form
 * feed, carriage return, space), and any byte of a character outside ASCII (U+00A0, U+2028,
 * U+FEFF, U+3000, … are blanks to `\s`; skipping the others too only says "maybe" more often).
 */
function isBlank(c: number | undefined): boolean {
  return c === 32 || (c !== undefined && ((c >= 9 && c <= 13) || c >= 0x80));
}

function skipBlanks(b: Uint8Array, at: number): number {
  while (isBlank(b[at])) at++;
  return at;
}

/** Whether the bytes at `at` are `lit`. */
function bytesAre(b: Uint8Array, at: number, lit: Uint8Array): boolean {
  if (at + lit.length > b.length) return false;
  for (let k = 0; k < lit.length; k++) if (b[at + k] !== lit[k]) return false;
  return true;
}

const isQuote = (c: number | undefined) => c === 39 /* ' */ || c === 34 /* " */ || c === 96; /* ` */

// The words searched for, as bytes (a string needle is encoded again at every search). A byte
// search looks for a word's first byte, then compares: each word is the rarest part of what a
// pattern needs (`_process` of `child_process`, `xec` of `exec`), where a common first letter
// (`e`, `p`, `s`) made a search of the same file ten times slower.
const W = (s: string) => Buffer.from(s, 'latin1');
/** Every package API_SPECIFIER names holds one of these (`child_process`, `@netscript/plugin-workers-core`, `@deno/sandbox`, `@david/dax`, `dax-sh`, `deno.land/x/dax`). */
const SPECIFIER_PARTS = ['_process', '-workers-core', '@deno/sandbox', 'vid/dax', 'x-sh', 'x/dax'];
/** NAMED_CALL's alternatives but the Deno ones (`denoCall`): `defineTask`, `Sandbox`. */
const CALL_PARTS = ['Task', 'Sandbox'];
/** API_USE's alternatives: `permissions`, `entrypoint`, `spawn` (and `spawnSync`), `execFile`, `execFileSync`, `execSync`, `fork`, `TaskConfig`. */
const API_USE_PARTS = ['missions', 'ypoint', 'pawn', 'xec', 'fork', 'Task'];
const SPECIFIER_WORDS = SPECIFIER_PARTS.map(W);
const CALL_WORDS = CALL_PARTS.map(W);
const API_USE_WORDS = API_USE_PARTS.map(W);
const DENO = W('Deno');
const RUN = W('run');
const COMMAND = W('Command');
const WORKER = W('Worker');
const PERMISSIONS = W('missions');
const DOT_SLASH = W('./');
const XPORT = W('xport');

/** `Deno`, blanks, then `.` and blanks and `run` or `Command`, or `[`: where NAMED_CALL's Deno forms start. */
function denoCall(b: Buffer): boolean {
  for (let i = b.indexOf(DENO); i >= 0; i = b.indexOf(DENO, i + 4)) {
    const j = skipBlanks(b, i + 4);
    if (b[j] === 91 /* [ */) return true;
    if (b[j] !== 46 /* . */) continue;
    const k = skipBlanks(b, j + 1);
    if (bytesAre(b, k, RUN) || bytesAre(b, k, COMMAND)) return true;
  }
  return false;
}

/** A quote followed by `./` or `../`: what every relative specifier RELATIVE_IMPORT and RELATIVE_REEXPORT match starts with. */
function quotedRelative(b: Buffer): boolean {
  for (let i = b.indexOf(DOT_SLASH); i >= 0; i = b.indexOf(DOT_SLASH, i + 1)) {
    if (isQuote(b[i - 1]) || (b[i - 1] === 46 && isQuote(b[i - 2]))) return true;
  }
  return false;
}

/** `export`, blanks, then `*`, `{` or `t` (of `type`): where RELATIVE_REEXPORT starts. */
function exportList(b: Buffer): boolean {
  for (let i = b.indexOf(XPORT, 1); i >= 0; i = b.indexOf(XPORT, i + 5)) {
    if (b[i - 1] !== 101 /* e */) continue;
    const c = b[skipBlanks(b, i + 5)];
    if (c === 42 /* * */ || c === 123 /* { */ || c === 116 /* t */) return true;
  }
  return false;
}

const holdsOne = (b: Buffer, words: readonly Uint8Array[]) => {
  for (let i = 0; i < words.length; i++) if (b.indexOf(words[i]!) >= 0) return true; // (indexed: a for-of makes an iterator result per word until optimised)
  return false;
};

/**
 * `sniff` on the UTF-8 bytes of a text, before any decoding (discovery rules most modules out
 * here): false only when `sniff` of that text is false — each pattern of `sniff` can match only
 * where these words are (byte searches, no string, no regular expression), so true means
 * "maybe" and the text is sniffed. The bytes must be the text's UTF-8 (ASCII, or valid UTF-8
 * without a byte order mark: every ASCII character of the text is then the same byte, and no
 * byte of another character is below 0x80); where `\s` may match, any byte of a character
 * outside ASCII is taken for a blank.
 */
export function mayMatchUtf8(bytes: Uint8Array): boolean {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (holdsOne(b, SPECIFIER_WORDS) || holdsOne(b, CALL_WORDS) || denoCall(b)) return true; // API_SPECIFIER, NAMED_CALL
  if (b.indexOf(WORKER) >= 0 && b.indexOf(PERMISSIONS) >= 0) return true; // NEW_WORKER with PERMISSIONS_KEY
  // RELATIVE_IMPORT, then API_USE or RELATIVE_REEXPORT
  return quotedRelative(b) && (holdsOne(b, API_USE_WORDS) || exportList(b));
}

/** Whether a path can hold code at all (declaration files hold only types). */
export function holdsCode(path: string): boolean {
  return !/\.d\.[cm]?ts$/.test(path);
}

/** A name in an export list (any identifier name, reserved words too), ended where a name cannot go on. */
const NAME = String.raw`[A-Za-z_$][\w$]*(?![\w$])`;
/** Blanks, or a comment (a line comment ends at any line terminator). */
const SPACE = String.raw`\s+|\/\/[^\n\r\u2028\u2029]*|\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\/`;
/**
 * One token of a module that only re-exports: blanks, a comment, or an `export … from '…'`
 * statement, ended by `;` or by a line break (or a line comment, or the end) as automatic
 * semicolon insertion allows. With `ts`, TypeScript's `export type * from` and `{ type A }`.
 */
function reexportToken(ts: boolean): RegExp {
  const list = (type: string) => {
    const spec = String.raw`${type}${NAME}(?:\s+as\s+${NAME})?`;
    return String.raw`\{(?:\s*${spec}\s*,)*(?:\s*${spec})?\s*\}`;
  };
  const star = String.raw`\*(?:\s*as\s+${NAME})?`;
  // `export type { A }`, or `export { type A }`: never both (TypeScript refuses it)
  const what = ts ? String.raw`(?:type(?![\w$])\s*(?:${star}|${list('')})|${star}|${list(String.raw`(?:type(?![\w$])\s*)?`)})` : `(?:${star}|${list('')})`;
  const end = String.raw`(?:\s*;|[ \t]*(?=[\r\n\u2028\u2029]|\/\/|$))`;
  const statement = String.raw`export(?![\w$])\s*${what}\s*from\s*(?:'[^'\\\n\r]*'|"[^"\\\n\r]*")${end}`;
  return new RegExp(`${SPACE}|${statement}`, 'y');
}
const REEXPORT_TOKEN = reexportToken(false);
const REEXPORT_TOKEN_TS = reexportToken(true);
/** Module-only files larger than this are analysed in turn anyway (a barrel is a few lines). */
const MODULE_ONLY_CHARS = 64 * 1024;

/**
 * Whether a file is only re-exports (`export * from './a.ts'`, `export { b as c } from './b.ts'`)
 * and comments, each statement written so that it parses (ESM: not `.cjs`/`.cts`; `type` forms
 * only in TypeScript). Such a module holds no construct of its own and its analysis adds nothing
 * to the model: it only tells importers what it re-exports, so the analysis thread reads it when
 * an importer asks for it (./resolve.ts `deferred`), not in its turn.
 */
export function moduleOnly(path: string, text: string): boolean {
  if (text.length > MODULE_ONLY_CHARS || /\.c[jt]s$/.test(path)) return false;
  const token = /\.[cm]?tsx?$/.test(path) ? REEXPORT_TOKEN_TS : REEXPORT_TOKEN;
  let at = 0;
  let statements = 0;
  const exported = new Set<string>();
  while (at < text.length) {
    token.lastIndex = at;
    const m = token.exec(text);
    if (!m || m[0].length === 0) return false;
    at += m[0].length;
    // a name exported twice does not parse (JavaScript): such a file is analysed in its turn
    if (m[0].charCodeAt(0) !== 101 /* e */) continue;
    if (!exportedOnce(m[0], exported)) return false;
    statements++;
  }
  return statements > 0;
}

/** Adds the names an `export … from` statement exports; false when one was exported before. */
function exportedOnce(statement: string, exported: Set<string>): boolean {
  const head = statement.slice(0, statement.search(/\bfrom\s*['"]/));
  const open = head.indexOf('{');
  const names: string[] = [];
  if (open >= 0) {
    // `a`, `type a`, `a as b`, `type a as b`: the exported name is the last word
    for (const spec of head.slice(open + 1, head.lastIndexOf('}')).split(',')) {
      const words = spec.trim().split(/\s+/);
      if (words[0] !== '') names.push(words[words.length - 1]!);
    }
  } else {
    const star = /\*\s*as\s+([\w$]+)/.exec(head);
    if (star) names.push(star[1]!);
  }
  for (const n of names) {
    if (exported.has(n)) return false;
    exported.add(n);
  }
  return true;
}
