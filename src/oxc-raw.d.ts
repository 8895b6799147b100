// oxc-parser publishes no types for the files of its raw transfer (src/sources/typescript/raw.ts)
declare module 'oxc-parser/src-js/bindings' {
  export function parseRawSync(path: string, block: Uint8Array, start: number, byteLength: number, options: object): void;
  export function getBufferOffset(view: Uint8Array): number;
  export function rawTransferSupported(): boolean;
  export function parseSync(path: string, text: string, options: object): { errors: { message: string; labels?: { start: number }[] }[]; program: string };
}
declare module 'oxc-parser/src-js/generated/constants' {
  export const BLOCK_SIZE: number;
  export const BLOCK_ALIGN: number;
  export const BUFFER_SIZE: number;
  export const ACTIVE_SIZE: number;
  export const IS_TS_FLAG_POS: number;
}
declare module 'oxc-parser/src-js/generated/deserialize/ts' {
  export function deserialize(buffer: Uint8Array, text: string, start: number, byteLength: number): { program: import('@typescript-eslint/types').TSESTree.Program; errors: { message: string; labels: { start: number }[] }[] };
  export function resetBuffer(): void;
}
declare module 'oxc-parser/src-js/generated/deserialize/js' {
  export function deserialize(buffer: Uint8Array, text: string, start: number, byteLength: number): { program: import('@typescript-eslint/types').TSESTree.Program; errors: { message: string; labels: { start: number }[] }[] };
  export function resetBuffer(): void;
}
