// Loaded into a CLI run with --require (CommonJS: it loads nothing of Node's ES-module loader
// itself): at exit, says on stderr whether the main thread ran an ES module (Node's module job).
'use strict';
process.on('exit', () => {
  const esm = process.moduleLoadList.includes('NativeModule internal/modules/esm/module_job');
  require('node:fs').writeSync(2, `\nENTRY-PROBE esm=${esm}\n`);
});
