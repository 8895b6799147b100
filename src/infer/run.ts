/** What the CLI loads lazily for section G: the module graph, oxc-parser and the API table. */
export { inferModel, inferEntrypoint } from './index.js';
export { diskFs } from './fs.js';
