/** The hostile size cases: [name, files (path: text)] (./size-cases.mjs). */
export declare const CASES: [string, Record<string, string>][];
