/**
 * oxc's raw transfer, in the parser thread only (loaded by ./thread.ts and src/infer/thread.ts,
 * which run there): oxc parses into an arena inside a buffer this thread owns, and oxc's own
 * generated deserializer builds the syntax tree from that buffer — no JSON text is written on the
 * native side and none is parsed here. The tree is the one oxc's JSON gives (same nodes, same
 * key order, same UTF-16 offsets, BigInt and RegExp values made the same way: every .ts/.js file
 * of the fixtures, denoland/deno, denoland/std and the 33 corpus repositories, 22,263 parses with
 * 1,828 syntax errors among them, gave identical trees and errors both ways), in about a third of
 * the time, with a fraction of the garbage.
 *
 * oxc-parser 0.159 offers this (`experimentalRawTransfer`) only from Node 22: its buffer setup
 * views a 6 GiB ArrayBuffer through one Uint8Array, longer than Node 20's typed arrays may be.
 * Only that view is too long: the 2 GiB block the parser writes to, aligned on 4 GiB inside
 * the buffer (a SharedArrayBuffer here, see `makeBuffer`), is within Node 20's limits, so this module sets the buffer up with a short
 * view to find the alignment (oxc's own `createBuffer`, otherwise the same) and calls the native
 * binding and the deserializer directly. The 6 GiB are address space: pages are committed only
 * as the parser writes (the source near the top of the block, the tree from its start).
 *
 * Anything that fails here — the buffer cannot be reserved (an address-space limit), the binding
 * lacks raw transfer (32-bit, big-endian), the deserializer throws (its recursion on a
 * pathological input) — makes `parseRaw` answer undefined, and the caller parses that text
 * through oxc's JSON as before (./parser.ts `parseOne`).
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { ParseOutcome } from './parser.js';
import * as bindings from 'oxc-parser/src-js/bindings';
import * as constants from 'oxc-parser/src-js/generated/constants';
import * as ts from 'oxc-parser/src-js/generated/deserialize/ts';
import * as js from 'oxc-parser/src-js/generated/deserialize/js';

interface RawBuffer extends Uint8Array {
  int32: Int32Array;
  float64: Float64Array;
  block: Uint8Array;
}
type Deserialize = (buffer: RawBuffer, text: string, start: number, byteLength: number) => { program: TSESTree.Program; errors: { message: string; labels: { start: number }[] }[] };
interface RawModules {
  parseRawSync(path: string, block: Uint8Array, start: number, byteLength: number, options: object): void;
  getBufferOffset(view: Uint8Array): number;
  constants: { BLOCK_SIZE: number; BLOCK_ALIGN: number; BUFFER_SIZE: number; ACTIVE_SIZE: number; IS_TS_FLAG_POS: number };
  ts: { deserialize: Deserialize; resetBuffer(): void };
  js: { deserialize: Deserialize; resetBuffer(): void };
}

/** oxc's modules, or undefined when the binding has no raw transfer (or PERMLINT_OXC_RAW=0). */
function load(): RawModules | undefined {
  if (process.env.PERMLINT_OXC_RAW === '0') return undefined;
  try {
    if (!bindings.rawTransferSupported()) return undefined;
    return { parseRawSync: bindings.parseRawSync, getBufferOffset: bindings.getBufferOffset, constants, ts, js };
  } catch {
    return undefined;
  }
}

// (imported statically, not with a top-level await: the parser thread's bundle is one CommonJS
// script, scripts/bundle.mjs; the thread has loaded the binding before it loads this module)
const modules = load();
const encoder = new TextEncoder();

/**
 * oxc's transfer buffer, in a SharedArrayBuffer (never shared): V8 counts an ArrayBuffer's 6 GiB
 * as external memory and at once runs a full, memory-reducing collection (~5–7 ms of the parser
 * thread's start, on the critical path of small trees and pre-commit runs: 24 paired rounds, a
 * 5-file pre-commit run of denoland/deno CPU x0.96, denoland/wasmbuild wall x0.95), and counts no
 * SharedArrayBuffer so. The pages are the same untouched virtual memory either way.
 */
function makeBuffer(m: RawModules): RawBuffer | null {
  const { BLOCK_SIZE, BLOCK_ALIGN, BUFFER_SIZE } = m.constants;
  try {
    const ab = new SharedArrayBuffer(BLOCK_SIZE + BLOCK_ALIGN);
    // a one-byte view gives the binding the buffer's address (oxc views all 6 GiB, which Node 20 refuses)
    const offset = m.getBufferOffset(new Uint8Array(ab, 0, 1));
    const b = new Uint8Array(ab, offset, BUFFER_SIZE) as RawBuffer;
    b.int32 = new Int32Array(ab, offset, BUFFER_SIZE / 4);
    b.float64 = new Float64Array(ab, offset, BUFFER_SIZE / 8);
    b.block = new Uint8Array(ab, offset, BLOCK_SIZE);
    return b;
  } catch {
    return null;
  }
}

/** The transfer buffer, reused for every parse; null when it cannot be made. Made as this module loads (the parser thread preloads it). */
let buffer: RawBuffer | null | undefined = modules ? makeBuffer(modules) : undefined;

/**
 * Texts longer than this (UTF-16 units) parse through JSON. oxc's deserializer recurses once per
 * level of the tree, and V8 scans the whole stack at every scavenge, so on a deep tree its cost
 * grows faster than the text: a left-deep call chain `f()()…` took 3.5 s of CPU through raw
 * transfer against 1.7 s through JSON at 512 KiB, but 28 s against 5 s at 2 MiB (the size cap).
 * Below this bound the worst shape costs less than the JSON path's own worst at the cap; real
 * sources this long are rare (3 of the .ts/.js files of denoland/deno and std exceed 256 KiB).
 */
export const RAW_MAX_CHARS = 512 * 1024;

/** Whether this thread parses through raw transfer (tests). */
export function rawTransferActive(): boolean {
  if (!modules) return false;
  buffer ??= makeBuffer(modules);
  return buffer !== null;
}

/**
 * Parses `text` as ./parser.ts `parseOne` does (each source type in turn until one has no error;
 * the first error of the last, at its first label), through raw transfer. Undefined: raw transfer
 * is not available here, the text is longer than RAW_MAX_CHARS, or raw transfer failed on it
 * (the caller parses it through JSON). `tsDeserializer`: another build of oxc's TypeScript
 * deserializer (tests: ./slim.ts; the parser thread's bundle has that one as oxc's own).
 */
export function parseRaw(path: string, text: string, lang: string, sourceTypes: string[], tsDeserializer?: RawModules['ts']): ParseOutcome | undefined {
  if (!modules || text.length > RAW_MAX_CHARS) return undefined;
  buffer ??= makeBuffer(modules);
  if (!buffer) return undefined;
  const { ACTIVE_SIZE, IS_TS_FLAG_POS } = modules.constants;
  // the source goes at the top of the active region, room for 3 UTF-8 bytes per UTF-16 unit (as oxc does)
  const room = text.length * 3;
  const start = ACTIVE_SIZE - room;
  let des: RawModules['ts'] | undefined;
  try {
    const { read, written } = encoder.encodeInto(text, new Uint8Array(buffer.buffer, buffer.byteOffset + start, room));
    if (read !== text.length) return undefined;
    let program: TSESTree.Program | undefined;
    let errors: { message: string; labels: { start: number }[] }[] = [];
    for (const sourceType of sourceTypes) {
      modules.parseRawSync(path, buffer.block, start, written, { lang, sourceType, astType: 'ts', range: false, preserveParens: false });
      des = buffer[IS_TS_FLAG_POS] === 0 ? modules.js : (tsDeserializer ?? modules.ts);
      const data = des.deserialize(buffer, text, start, written);
      des = undefined;
      program = data.program;
      errors = data.errors;
      if (errors.length === 0) break;
    }
    if (errors.length) {
      const e = errors[0]!;
      return { error: { code: 'ts-syntax', detail: e.message, offset: e.labels[0] ? e.labels[0].start : 0 } };
    }
    return program ? { program } : undefined;
  } catch {
    // (a deserializer that threw keeps the buffer and the text until told to let them go)
    des?.resetBuffer();
    return undefined;
  }
}
