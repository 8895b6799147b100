// Loaded with `--import` into a CLI run by test/e2e/read-ahead.test.ts: prints at exit what the
// walk published on permlint's read-ahead channel (src/list-ahead.ts READ_AHEAD_CHANNEL).
import { subscribe } from 'node:diagnostics_channel';

const seen = [];
subscribe('permlint:read-ahead', (m) => seen.push(m));
process.on('exit', () => process.stderr.write(`\nREAD-AHEAD ${JSON.stringify(seen)}\n`));
