// Loaded with `-r` (under `--allow-natives-syntax`) into a CLI run by test/e2e/bundle-load.test.ts,
// in the main thread and in the parser thread. Says on stderr, for each bundle script a thread
// compiles, whether the source V8 is given is a cons string (a concatenation, which V8 copies into
// a flat string before it compiles), and which of Node's built-in modules each thread loaded: the
// main thread at exit, the parser thread (let go without an exit) whenever it posts a message.
const { writeSync } = require('node:fs');
const vm = require('node:vm');
const { isMainThread, parentPort } = require('node:worker_threads');

const thread = isMainThread ? 'main' : 'thread';
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
// a one-byte and a two-byte cons string: a string with either one's map is a concatenation
const CONS = ['a'.repeat(24) + String(Math.random()), '\u0100'.repeat(24) + String(Math.random())];
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(source, options) {
    if (typeof options?.filename === 'string' && /[\\/]bundle[\\/]\w+\.cjs$/.test(options.filename)) {
      writeSync(2, `BUNDLE-SOURCE ${JSON.stringify({ thread, cons: CONS.some((c) => haveSameMap(source, c)), length: source.length })}\n`);
    }
    super(source, options);
  }
};

const seen = new Set();
const builtins = () => {
  const fresh = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !seen.has(m));
  for (const m of fresh) seen.add(m);
  if (fresh.length) writeSync(2, `BUILTINS ${JSON.stringify({ thread, loaded: fresh.map((m) => m.slice('NativeModule '.length)) })}\n`);
};
if (isMainThread) process.on('exit', builtins);
else {
  const post = parentPort.postMessage;
  parentPort.postMessage = function (...args) {
    builtins();
    return post.apply(this, args);
  };
}
