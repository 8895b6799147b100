#!/usr/bin/env node
// The CLI entry. Output failures are the environment's, not the scan's: a reader that closes
// the pipe early (`permlint … | head`) ends the run quietly with the exit code the findings
// decide; any other write failure (a full disk, a closed descriptor) is exit 2 with a message.
//
// `--version`, `--help`, `<command> --help` and `explain <rule-id>` only print text: they are
// answered from dist/src/quick.js (the package's version, the help texts, docs/rules/*.md) before
// the CLI and the lint pipeline are loaded.
//
// This file is CommonJS (bin/package.json), and so is what it runs before the CLI bundle when the
// build's scripts are current: dist/bundle/quick.cjs (src/quick.ts) and dist/bundle/entry.cjs
// (src/cli-loader.ts with the parser thread's early start), so that a run whose bundles are
// current never loads Node's ES-module loader (~10 ms of every run, docs/performance.md "This
// session (eleventh): the CommonJS entry"). Otherwise the ES modules themselves, through import().
'use strict';
const { readFileSync, statSync } = require('node:fs');
const { join, sep } = require('node:path');

const DIST = join(__dirname, '..', 'dist') + sep;

/**
 * The script the build made of a dist/ module (scripts/bundle.mjs) when its stamp holds, as
 * src/bundle-stamp.ts checks the CLI bundle's: every dist/ module it was built from still has the
 * size it had then and is not newer than the script (in a working tree; an installed copy compares
 * sizes only), and the script has its own size. Else (and with PERMLINT_BUNDLE=0) undefined: the
 * ES module is imported instead. (src/bundle-stamp.ts cannot be used here: this check decides
 * whether its module is loaded from a script or as an ES module.)
 */
function trustedScript(stampName) {
  if (process.env.PERMLINT_BUNDLE === '0') return undefined;
  try {
    const stamp = JSON.parse(readFileSync(DIST + stampName, 'utf8'));
    const file = DIST + stamp.bundle.path;
    const b = statSync(file);
    if (b.size !== stamp.bundle.size || !stamp.inputs.length) return undefined;
    // (an installed copy: sizes only, as src/bundle-stamp.ts `installedCopy` says why)
    const dated = !DIST.split(/[\\/]/).includes('node_modules');
    for (const [path, size] of stamp.inputs) {
      const s = statSync(DIST + path);
      if (s.size !== size || (dated && s.mtimeMs > b.mtimeMs)) return undefined;
    }
    return file;
  } catch {
    return undefined;
  }
}

/** A module of dist/src/ (`quick`, `cli-loader`): its script when trusted, else the ES module. */
async function load(stampName, module) {
  const script = trustedScript(stampName);
  return script ? require(script) : import(`../dist/src/${module}.js`);
}

let pipeClosed = false;
let writeError;
const onStdoutError = (e) => {
  if (e && e.code === 'EPIPE') pipeClosed = true;
  else if (!writeError) writeError = e ?? new Error('write failed');
};
process.stdout.on('error', onStdoutError);
// a closed stderr has no one to tell
process.stderr.on('error', () => {});

const write = (stream, s) => {
  if (stream === process.stdout && (pipeClosed || writeError)) return;
  try {
    stream.write(s);
  } catch (e) {
    if (stream === process.stdout) onStdoutError(e);
  }
};

async function run() {
  const { quickAnswer } = await load('bundle/quick-stamp.json', 'quick');
  const argv = process.argv.slice(2);
  const quick = quickAnswer(argv);
  let code = 0;
  if (quick !== undefined) write(process.stdout, quick);
  else {
    // the yaml library writes every token (LOG_TOKENS) or CST node (LOG_STREAM) to stdout when its
    // debug switches are set in the environment, which would corrupt JSON and SARIF output: this
    // process (and the parser thread it starts, which copies the environment) runs without them
    delete process.env.LOG_TOKENS;
    delete process.env.LOG_STREAM;
    // the CLI as one script with its code cache when the build's bundle is current, else the ES
    // modules (dist/src/cli-loader.js); either way every module of this thread comes from one of them
    const { main, tuneV8ForCli } = await (await load('bundle/entry-stamp.json', 'cli-loader')).loadCli(argv);
    // V8's settings for a short run (dist/src/heap.js): the young generation stays at the size
    // loading gave it, and TurboFan optimises only what runs long. Set once the CLI is compiled and,
    // when the parser thread is starting, once it has compiled too (V8 rejects a code cache made
    // under other flags); only here, not in main(), which tests call in their own long-lived processes
    tuneV8ForCli();
    code = await main(argv, {
      stdout: (s) => write(process.stdout, s),
      stderr: (s) => write(process.stderr, s),
      isTTY: !!process.stdout.isTTY,
      env: process.env,
      cwd: process.cwd(),
    });
  }

  // wait until what was written is flushed (or has failed: the callback hears the failure first)
  if (!pipeClosed && !writeError && !process.stdout.destroyed) {
    await new Promise((resolve) =>
      process.stdout.write('', (e) => {
        if (e) onStdoutError(e);
        resolve();
      }),
    );
  }

  const failed = () => {
    process.exitCode = 2;
    write(process.stderr, `permlint: cannot write the report to standard output: ${writeError.code ?? writeError.message}\n`);
  };
  if (writeError) failed();
  else {
    process.exitCode = code;
    // a failure reported after the flush (asynchronous streams) still decides the exit code
    process.stdout.off('error', onStdoutError);
    process.stdout.on('error', (e) => {
      if (e && e.code === 'EPIPE') return;
      writeError = e;
      failed();
    });
  }

  // The report is out: end the process now. Left to itself, Node would free both V8 heaps page by
  // page before exiting (the time after the `exit` event: 53 → 39 ms median in a pre-commit run,
  // docs/performance.md "This session (eleventh): the lead's other changes"), and nothing is left
  // to run. Only when the report was written whole (a failed write keeps Node's own ending, and with
  // it the late failure above); what went to stderr is flushed first.
  if (!writeError && !pipeClosed) {
    if (!process.stderr.destroyed) await new Promise((resolve) => process.stderr.write('', () => resolve()));
    if (!writeError) process.exit();
  }
}

run();
