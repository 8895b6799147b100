// Loaded into a CLI run (NODE_OPTIONS=--import): says on stderr whether the run reached Node's
// natural end (`beforeExit`, emitted when the event loop empties) and with which code it exited.
import { writeSync } from 'node:fs';

process.on('beforeExit', () => writeSync(2, 'ENDING natural\n'));
process.on('exit', (code) => writeSync(2, `ENDING exit ${code}\n`));
