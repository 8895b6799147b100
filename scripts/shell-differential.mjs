#!/usr/bin/env node
/**
 * The shell reader's fast path against the full parser on every shell text permlint reads in a
 * tree (a real repository, for instance): `node scripts/shell-differential.mjs <dir>…` after
 * `npm run build`. Prints how many texts were compared and any that differ; exit 1 on a difference.
 */
import { isDeepStrictEqual } from 'node:util';
import { resolve } from 'node:path';
import { discover } from '../dist/src/discover.js';
import { scan } from '../dist/src/scan.js';
import { parseShell, recordShellTexts, shellStats } from '../dist/src/shell/index.js';
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
  const fast0 = shellStats.fastLines;
  const compound0 = shellStats.compoundLines;
  let chunks = 0;
  for (const t of texts) {
    const index = new LineIndex('t.sh', t);
    const read = (engine) => parseShell(MappedText.verbatim(index, 0, t.length), { trackAssignments: true, engine });
    compared++;
    const before = shellStats.fullChunks;
    const auto = read('auto');
    chunks += shellStats.fullChunks - before;
    if (!isDeepStrictEqual(read('full'), auto)) {
      differ++;
      console.log(`DIFFERS (${dir}): ${JSON.stringify(t.slice(0, 300))}`);
      if (process.env.DUMP) (await import("node:fs")).writeFileSync(`${process.env.DUMP}/${differ}.sh`, t);
    }
  }
  console.log(
    `${dir}: ${texts.size} shell texts compared, ${shellStats.fastLines - fast0} lines read by the fast path, ${shellStats.compoundLines - compound0} by the compound reader, ${chunks} chunks by mvdan/sh`,
  );
}
console.log(`${compared} texts, ${differ} differences`);
process.exit(differ ? 1 : 0);
