// Loaded with `--import` into an installed CLI's run by test/e2e/install.test.ts: prints at exit
// what the run published on permlint's code-cache channel (src/bundle-stamp.ts): `cli:taken` only
// when the CLI bundle was trusted and V8 took its code cache.
import { subscribe } from 'node:diagnostics_channel';
import { writeSync } from 'node:fs';

const seen = [];
subscribe('permlint:code-cache', (m) => seen.push(`${m.script}:${m.rejected ? 'rejected' : 'taken'}`));
process.on('exit', () => writeSync(2, `\nBUNDLES ${JSON.stringify(seen)}\n`));
