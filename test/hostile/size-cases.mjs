// The hostile size cases (issue 16, items 3, 4 and 11): one generated file each, built to multiply
// work. Shared by test/hostile/size.test.ts (exit code, memory bound, messages) and `npm run bench
// -- --only hostile` (each case with the CLI bundle's code cache and without it).
const lines = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

export const CASES = [
  ['shell: a variable of 20,000 paths used on 2,000 lines (188 KB)', { 'run.sh': `P="${lines(20000, (i) => `/p/${i}`).replace(/\n/g, ' ')}"\n${lines(2000, () => 'deno run --allow-read=$P main.ts')}` }],
  ['shell: 200,000 lines of echo a (1.4 MB)', { 'run.sh': lines(200000, () => 'echo a') }],
  ['Makefile: 150,000 recipe lines', { Makefile: `all:\n${lines(150000, () => '\techo a')}` }],
  ['Makefile: a variable of 100 KB used 2,000 times', { Makefile: `X := ${'y'.repeat(100000)}\nZ = ${'$(X)'.repeat(20)}\nall:\n${lines(100, () => '\tdeno run --allow-read=$(Z) main.ts')}` }],
  ['Makefile: $( nested 100,000 deep', { Makefile: `all:\n\techo ${'$('.repeat(100000)}${')'.repeat(100000)}\n` }],
  ['YAML: an anchor of a 100 KB string aliased 2,000 times', { '.github/workflows/ci.yml': `x: &a "deno run --allow-read=${'/p'.repeat(50000)} main.ts"\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n${lines(2000, () => '      - run: *a')}` }],
  ['YAML: flow collections nested 100,000 deep', { 'k8s.yml': `apiVersion: v1\nkind: Pod\nspec: ${'['.repeat(100000)}${']'.repeat(100000)}\n` }],
  ['JSON: nested 100,000 deep', { 'deno.json': `${'['.repeat(100000)}${']'.repeat(100000)}` }],
  ['TOML: nested 100,000 deep', { 'mise.toml': `a = ${'['.repeat(100000)}${']'.repeat(100000)}\n` }],
  ['TypeScript: parentheses nested 100,000 deep', { 'main.ts': `new Worker(${'('.repeat(100000)}1${')'.repeat(100000)});\nDeno.Command("x");\n` }],
  ['Dockerfile: 190,000 RUN instructions (2 MiB)', { Dockerfile: `FROM node:20\n${'RUN echo a\n'.repeat(190000)}` }],
  ['deno.json: one task of 1.8 MB', { 'deno.json': JSON.stringify({ tasks: { big: `${'echo a; '.repeat(225000)}deno run -A main.ts` } }) }],
  ['shell: a million commands `a` (2 MiB)', { 'run.sh': 'a\n'.repeat(1040000) }],
  ['YAML: 140,000 map entries (2 MiB)', { 'k8s.yml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n${lines(140000, (i) => `    l${i}: a`)}` }],
  ['compose: 20,000 services, each a finding (1.4 MB)', { 'compose.yml': `services:\n${lines(20000, (i) => `  s${i}:\n    image: node:20\n    command: deno run --allow-net main.ts`)}` }],
];
