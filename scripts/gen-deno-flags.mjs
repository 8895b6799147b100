// Regenerates src/grammar/deno-flags.json from the real Deno binary's help text
// (`deno <subcommand> --help`), so the argv grammar knows, per subcommand, which flags
// exist and how each takes its value. Run: node scripts/gen-deno-flags.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { denoBinary } from './runtimes.mjs';

const denoBin = denoBinary();
const help = (args) => execFileSync(denoBin, [...args, '--help'], { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });

const version = execFileSync(denoBin, ['--version'], { encoding: 'utf8' }).split(/\s+/)[1];
const top = help([]);
const subcommands = [...top.split('Commands:')[1].split('\nOptions:')[0].matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]).filter((s) => s !== 'help');

// A flag line: optional short, long name, then the value form.
//   "-c, --config <VALUE>"        value required (with = or as the next argument)
//   "--check[=<VALUE>]"           value optional, only with =
//   "--lock [<VALUE>]"            value optional, may be the next argument
//   "--allow-read[=<PATH>...]"    value optional, only with =, a comma list
const LINE = /^\s{2,}(?:(-[A-Za-z]), )?(--[a-z0-9-]+)( <[^>]+>(?:\.\.\.)?| \[<[^>]+>\](?:\.\.\.)?|\[=[^\]]+\](?:\.\.\.)?)?(?:\s|$)/;
const SHORT_ONLY = /^\s{2,}(-[A-Za-z])(?:, (--[a-z0-9-]+))?(\[=<[^>]+>\])?\s/;

function parseHelp(text) {
  const flags = {};
  for (const line of text.split('\n')) {
    const m = LINE.exec(line) ?? SHORT_ONLY.exec(line);
    if (!m) continue;
    const [, short, long, form = ''] = m;
    if (!long || flags[long]) continue; // later lines are usage examples
    let value = 'none';
    if (form.startsWith(' <')) value = 'required';
    else if (form.startsWith(' [<')) value = 'optional-space';
    else if (form.startsWith('[=')) value = 'optional-eq';
    flags[long] = { value, ...(short ? { short } : {}), ...(form.includes('...') ? { list: true } : {}) };
  }
  return flags;
}

const out = { generatedFrom: `deno ${version} --help`, global: parseHelp(top.split('\nOptions:')[1] ?? ''), subcommands: {} };
for (const sub of subcommands) {
  let text;
  try { text = help([sub]); } catch (e) { text = String(e.stdout ?? ''); }
  const usage = /Usage: deno \S+ (.*)/.exec(text)?.[1] ?? '';
  out.subcommands[sub] = { usage, flags: parseHelp(text) };
}
writeFileSync(new URL('../src/grammar/deno-flags.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${subcommands.length} subcommands from deno ${version}`);
