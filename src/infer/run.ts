/** What the lint pipeline loads lazily for section G: the module graph, oxc-parser and the API table. */
export { GraphsAhead, inferModel, inferEntrypoint } from './index.js';
export { inferFs } from './fs.js';
