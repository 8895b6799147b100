import type { Reporter } from './types.js';
import { json } from './json.js';
import { stylish } from './stylish.js';

/** Output formats by name. Formats added later register here. */
export const REPORTERS: Record<string, Reporter> = { stylish, json };
