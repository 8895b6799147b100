// Loaded with `--import` into a CLI run by test/e2e/cli-bundle-code-cache.test.ts: prints at exit
// what the run published on permlint's code-cache channel (src/bundle-stamp.ts), the parser
// thread's starts and readiness in order with the code caches (`order`: an early start comes
// before `cli:taken` when the thread started before the CLI was compiled), and whether V8's flags
// are then the CLI's (a probe script offered a code cache made under them, PERMLINT_PROBE_CACHE).
import { subscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const seen = [];
const order = [];
subscribe('permlint:code-cache', (m) => {
  seen.push(`${m.script}:${m.rejected ? 'rejected' : 'taken'}`);
  order.push(`${m.script}:${m.rejected ? 'rejected' : 'taken'}`);
});
subscribe('permlint:parser-thread', (m) => order.push(m.event === 'start' ? `thread:start${m.early ? ':early' : ''}` : `thread:${m.event}`));
process.on('exit', () => {
  const probe = new vm.Script(process.env.PERMLINT_PROBE_SOURCE, { filename: 'probe.js', cachedData: readFileSync(process.env.PERMLINT_PROBE_CACHE) });
  process.stderr.write(`\nCODE-CACHE ${JSON.stringify({ seen, order, cliFlags: !probe.cachedDataRejected })}\n`);
});
