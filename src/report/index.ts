import type { Reporter } from './types.js';
import { checkstyle } from './checkstyle.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';

/** Output formats by name. Formats added later register here. */
export const REPORTERS: Record<string, Reporter> = { stylish, json, sarif, github, markdown, junit, checkstyle, gitlab };
export { FORMATS, MACHINE_FORMATS } from './formats.js';
