#!/usr/bin/env node
/**
 * The shell reader's fast path against the full parser on every shell text permlint reads in a
 * tree (a real repository, for instance): `node scripts/shell-differential.mjs <dir>…` after
 * `npm run build`. Prints how many texts were compared (in both dialects, sh and deno-task) and any that differ;
 * exit 1 on a difference. `DUMP=<dir>` also writes each differing text there; `CHUNKS=1` prints the
 * chunks still given to mvdan/sh.
 */
import { isDeepStrictEqual } from 'node:util';
import { resolve } from 'node:path';
import { discover } from '../dist/src/discover.js';
import { scan } from '../dist/src/scan.js';
import { parseShell, recordFullChunks, recordShellTexts, shellStats } from '../dist/src/shell/index.js';
import { LineIndex, MappedText } from '../dist/src/text.js';

const dirs = process.argv.slice(2);
if (!dirs.length) {
  console.error('usage: node scripts/shell-differential.mjs <dir>…');
  process.exit(2);
}
let compared = 0;
let differ = 0;
for (const dir of dirs) {
  const texts = new Set();
  recordShellTexts((t) => texts.add(t));
  const found = discover(['.'], {}, resolve(dir));
  await scan(found.files, {});
  recordShellTexts(undefined);
  let fast = 0;
  let compound = 0;
  let chunks = 0;
  for (const t of texts) {
    const index = new LineIndex('t.sh', t);
    const read = (engine, dialect) => parseShell(MappedText.verbatim(index, 0, t.length), { trackAssignments: true, engine, dialect });
    compared++;
    const [c0, f0, k0] = [shellStats.fullChunks, shellStats.fastLines, shellStats.compoundLines];
    if (process.env.CHUNKS) recordFullChunks((c) => console.log(`CHUNK (${dir}): ${JSON.stringify(c.slice(0, 300))}`));
    const auto = read('auto', 'sh');
    recordFullChunks(undefined);
    chunks += shellStats.fullChunks - c0;
    fast += shellStats.fastLines - f0;
    compound += shellStats.compoundLines - k0;
    // both dialects: a text read as a deno.json task here may be a script elsewhere, and the reverse
    for (const [dialect, mine] of [['sh', auto], ['deno-task', read('auto', 'deno-task')]]) {
      if (isDeepStrictEqual(read('full', dialect), mine)) continue;
      differ++;
      console.log(`DIFFERS (${dir}, ${dialect}): ${JSON.stringify(t.slice(0, 300))}`);
      if (process.env.DUMP) (await import('node:fs')).writeFileSync(`${process.env.DUMP}/${differ}.sh`, t);
    }
  }
  console.log(
    `${dir}: ${texts.size} shell texts compared, ${fast} lines read by the fast path, ${compound} by the compound reader, ${chunks} chunks by mvdan/sh (sh dialect)`,
  );
}
console.log(`${compared} texts, ${differ} differences`);
process.exit(differ ? 1 : 0);
