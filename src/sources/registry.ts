/**
 * Sources for file kinds beyond the core four (deno.json, package.json, shell, shebang).
 * Each registers here under the FileKind that discovery gives its files.
 * A source module must load heavy parsers lazily (inside `parse`), not at import time.
 */
import type { FileKind } from '../discover.js';
import type { Source } from './types.js';

export const EXTRA_SOURCES: Partial<Record<FileKind, Source>> = {
  // 'dockerfile': dockerfileSource,
};
