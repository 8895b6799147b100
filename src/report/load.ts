/**
 * One reporter by name, imported on first use: a run loads the formats it writes, not all eight
 * (the CLI; `./index.ts` keeps the eager map for library callers and tests).
 */
import type { Reporter } from './types.js';
import type { FORMATS } from './formats.js';

const LOADERS: Record<(typeof FORMATS)[number], () => Promise<Reporter>> = {
  stylish: async () => (await import('./stylish.js')).stylish,
  json: async () => (await import('./json.js')).json,
  sarif: async () => (await import('./sarif.js')).sarif,
  github: async () => (await import('./github.js')).github,
  markdown: async () => (await import('./markdown.js')).markdown,
  junit: async () => (await import('./junit.js')).junit,
  checkstyle: async () => (await import('./checkstyle.js')).checkstyle,
  gitlab: async () => (await import('./gitlab.js')).gitlab,
};

/** The reporter of a format `FORMATS` names. */
export function loadReporter(name: string): Promise<Reporter> {
  const load = (LOADERS as Record<string, (() => Promise<Reporter>) | undefined>)[name];
  if (!load) return Promise.reject(new Error(`no reporter named ${name}`));
  return load();
}
