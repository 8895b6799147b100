import { fixtureFiles, ruleTester } from '../rule-tester.js';

const RULE = 'unfrozen-lockfile';

/**
 * File, line and column of `token` (the first one after `after`) on the only line of `files[file]` that contains
 * `lineHas`, and its end (the expected position comes from the test's text, not from the code under test).
 */
const word = (files: Record<string, string>, file: string, lineHas: string, token: string, after = '') => {
  const lines = files[file]!.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(lineHas) ? [i] : []));
  if (hits.length !== 1) throw new Error(`${file}: ${hits.length} lines contain ${JSON.stringify(lineHas)}`);
  const text = lines[hits[0]!]!;
  const col = text.indexOf(token, after ? text.indexOf(after) + after.length : 0);
  if (col < 0 || (after && !text.includes(after))) throw new Error(`${file}:${hits[0]! + 1}: no ${JSON.stringify(token)}`);
  return { file, line: hits[0]! + 1, column: col + 1, endLine: hits[0]! + 1, endColumn: col + 1 + token.length };
};
/** The start only (a related location). */
const loc = (files: Record<string, string>, file: string, lineHas: string, token: string) => {
  const { line, column } = word(files, file, lineHas, token);
  return { file, line, column };
};
const DF = fixtureFiles('deploy-dockerfile');
const GA = fixtureFiles('deploy-actions');
const FO = fixtureFiles('deploy-follow');

/** A Dockerfile (its RUN steps are the build context, CMD the deployment context) beside a deno.json that freezes nothing. */
const image = (lines: string[], denoJson = '{}\n') => ({ 'deno.json': denoJson, Dockerfile: ['FROM denoland/deno:2.9.6', ...lines, ''].join('\n') });
const nodeImage = (run: string) => ({ Dockerfile: `FROM node:22\nRUN ${run}\n` });
const ciSteps = (...runs: string[]) => ({ '.github/workflows/ci.yml': ['on: push', 'jobs:', '  t:', '    runs-on: ubuntu-latest', '    steps:', ...runs.map((r) => `      - run: ${r}`), ''].join('\n') });

const UNFROZEN = image(['RUN deno install && deno cache main.ts', 'CMD ["deno", "run", "main.ts"]']);
const LOCAL_INSTALL = image(['RUN deno install -N jsr:@std/http/file-server']);

ruleTester(RULE, {
  valid: [
    { name: 'development files (a Makefile) are not deployment, build or CI', files: fixtureFiles('deploy-makefile') },
    { name: 'frozen runs in a Dockerfile: deno cache --frozen, deno run --frozen, npm ci', files: fixtureFiles('deploy-dockerfile-safe') },
    { name: 'NetScript tasks under a root deno.json that freezes the lock', files: fixtureFiles('ts-netscript') },
    { name: 'frozen Node installs: npm ci, yarn install --immutable / --frozen-lockfile, pnpm install --frozen-lockfile', files: nodeImage('npm ci && yarn install --immutable && yarn install --frozen-lockfile && pnpm install --frozen-lockfile') },
    { name: 'Node installs of named packages and global installs change no project lockfile by accident', files: nodeImage('npm install left-pad && npm install -g typescript && npm install --global tsx && yarn global add serve') },
    { name: 'pnpm install in CI freezes the lockfile by itself (CI is set)', files: ciSteps('pnpm install') },
    { name: 'Deno installs and runs with --frozen (or --frozen-lockfile)', files: image(['RUN deno install --frozen && deno cache --frozen-lockfile main.ts', 'CMD ["deno", "run", "--frozen", "main.ts"]']) },
    { name: 'deno --version, -V, help and --help resolve nothing', files: image(['RUN deno --version && deno -V && deno help && deno --help']) },
    { name: 'a global deno install keeps its own lockfile', files: image(['RUN deno install -g -N jsr:@std/http/file-server']) },
    { name: 'a --cached-only run fetches nothing', files: image(['CMD ["deno", "run", "--cached-only", "main.ts"]']) },
    { name: 'the workspace-root deno.json freezes the lockfile', files: image(['CMD ["deno", "run", "main.ts"]'], '{ "lock": { "frozen": true } }\n') },
    { name: 'unfrozen runs in development tasks', files: { 'deno.json': '{"tasks":{"dev":"deno run main.ts","i":"deno install"}}\n' } },
  ],
  invalid: [
    {
      // the four Deno runs share one cause, the root deno.json's `"frozen": false`: one finding there, the runs as its related locations
      name: 'Deno runs without --frozen and Node installs at the command word in a Dockerfile',
      files: DF,
      errors: [
        { ...word(DF, 'Dockerfile', 'RUN ["npm", "install"]', 'npm'), level: 'warning', context: 'build', message: '`npm install` in a build context can rewrite the lockfile and install versions nobody reviewed; use `npm ci`' },
        {
          file: 'deno.json',
          at: '"lock": { "frozen": false }',
          level: 'warning',
          message: /^deno\.json does not freeze the lockfile.* — 4 runs: /s,
          related: [
            { ...loc(DF, 'Dockerfile', 'build.ts', 'deno'), message: '`deno run build.ts` (dockerfile `RUN #1`) runs in a build context' },
            { ...loc(DF, 'Dockerfile', 'gen.ts', 'deno'), message: '`deno run gen.ts` (dockerfile `RUN #2`) runs in a build context' },
            { ...loc(DF, 'Dockerfile', 'tool.ts', 'deno'), message: '`deno run tool.ts` (dockerfile `RUN #3`) runs in a build context' },
            { ...loc(DF, 'Dockerfile', 'ENTRYPOINT', 'deno'), message: '`deno run server.ts` (dockerfile `ENTRYPOINT + CMD`) runs in a deployment context' },
          ],
        },
      ],
    },
    {
      // not the step whose --frozen comes from $LOCK_FLAGS, nor the container job's `deno run --frozen`
      name: 'CI steps, composite actions and a folded `npm install`, not a frozen step',
      files: GA,
      errors: [
        { ...word(GA, '.github/actions/setup/action.yml', 'deno install', 'deno'), level: 'warning', context: 'ci', message: '`deno install` (github-actions `composite/step 1`) in a ci context can rewrite deno.lock' },
        { ...word(GA, '.github/workflows/ci.yml', 'deno run --allow-net', 'deno'), level: 'warning', context: 'ci', message: '`deno run main.ts` (github-actions `test/check`) runs in a ci context without a frozen lockfile' },
        { ...word(GA, '.github/workflows/ci.yml', 'npm install', 'npm'), level: 'warning', context: 'ci', message: '`npm install` in a ci context can rewrite the lockfile' },
        {
          ...word(GA, 'web/package.json', '"build"', 'deno'),
          level: 'warning',
          context: 'ci',
          message: '`deno run build.ts` (script `build`), run by .github/workflows/ci.yml:24 runs in a ci context',
          related: [{ ...loc(GA, '.github/workflows/ci.yml', 'npm run build', 'run:'), message: 'runs `build` in a ci context' }],
        },
      ],
    },
    {
      // reported once at the workspace root with the other runs: each followed task's entry, then the files that run it
      name: 'points at the followed task and names the files that run it',
      files: FO,
      errors: [
        {
          file: 'deno.json',
          line: 1,
          column: 1,
          level: 'warning',
          message: /^deno\.json does not freeze the lockfile.* — 4 runs: /s,
          related: [
            { ...loc(FO, 'deno.json', '"start"', 'deno'), message: '`deno run main.ts` (task `start`), run by Dockerfile:4 and compose.yaml:4 runs in a deployment context' },
            { ...loc(FO, 'Dockerfile', 'CMD', 'CMD'), message: 'runs `start` in a deployment context' },
            { ...loc(FO, 'compose.yaml', '"start"', 'command'), message: 'runs `start` in a deployment context' },
            { ...loc(FO, 'packages/api/deno.json', '"serve"', 'deno'), message: 'run by .github/workflows/ci.yml:7 and k8s/job.yaml:11 runs in a deployment context' },
            { ...loc(FO, '.github/workflows/ci.yml', 'deno task serve', 'run:'), message: 'runs `serve` in a deployment context' },
            { ...loc(FO, 'k8s/job.yaml', '"serve"', 'command'), message: 'runs `serve` in a deployment context' },
            { ...loc(FO, 'packages/api/package.json', '"build"', 'deno'), message: '`deno run dist.ts` (script `build`), run by .github/workflows/ci.yml:6 runs in a ci context' },
            { ...loc(FO, '.github/workflows/ci.yml', 'npm run build', 'run:'), message: 'runs `build` in a ci context' },
            { ...loc(FO, 'scripts/start.sh', 'deno run', 'deno'), message: '`deno run server.ts` (shell `start.sh`), run by compose.yaml:8 runs in a deployment context' },
            { ...loc(FO, 'compose.yaml', 'start.sh', 'command'), message: 'runs `start.sh` in a deployment context' },
          ],
        },
      ],
    },
    {
      // `report` only: `inline` runs in-process, `etl` is not a Deno run; no deno.json, so no root to group under
      name: 'a NetScript Deno task runs `deno run` without --frozen: flagged at defineTask',
      files: fixtureFiles('ts-netscript-unfrozen'),
      errors: [{ file: 'workers/tasks.ts', at: "defineTask('report')", level: 'warning', message: 'NetScript runs task `report` as `deno run` without `--frozen`' }],
    },
    {
      name: 'unfrozen Node installs: npm install, yarn install, pnpm install (build context)',
      files: nodeImage('npm install && yarn install && pnpm install'),
      errors: [
        { file: 'Dockerfile', at: 'npm', level: 'warning', message: 'use `npm ci`' },
        { file: 'Dockerfile', at: 'yarn', level: 'warning', message: 'use `yarn install --immutable` (or `--frozen-lockfile` on Yarn 1)' },
        { file: 'Dockerfile', at: 'pnpm', level: 'warning', message: 'use `pnpm install --frozen-lockfile`' },
      ],
    },
    {
      name: 'yarn install in CI (only pnpm freezes by itself there)',
      files: ciSteps('pnpm install', 'yarn install'),
      errors: [{ file: '.github/workflows/ci.yml', at: 'yarn', level: 'warning', context: 'ci', message: '`yarn install` in a ci context' }],
    },
    {
      name: 'Deno installs and runs without --frozen',
      files: UNFROZEN,
      errors: [
        { ...word(UNFROZEN, 'Dockerfile', 'RUN', 'deno'), level: 'warning', context: 'build', message: '`deno install` (dockerfile `RUN #1`) in a build context can rewrite deno.lock; use `deno install --frozen` (or `deno ci`)' },
        { ...word(UNFROZEN, 'Dockerfile', 'RUN', 'deno', '&&'), level: 'warning', context: 'build', message: '`deno cache` (dockerfile `RUN #1`) runs in a build context without a frozen lockfile' },
        { ...word(UNFROZEN, 'Dockerfile', 'CMD', 'deno'), level: 'warning', context: 'deployment', message: '`deno run main.ts` (dockerfile `CMD`) runs in a deployment context without a frozen lockfile' },
      ],
    },
    {
      name: 'a deno install without -g is the project install',
      files: LOCAL_INSTALL,
      errors: [{ ...word(LOCAL_INSTALL, 'Dockerfile', 'RUN', 'deno'), level: 'warning', message: 'can rewrite deno.lock' }],
    },
    {
      // the catalogue's reading: deno check fetches dependencies (Deno 2.9.6 downloads a jsr: import it checks) and takes --frozen
      name: 'deno check in CI without a frozen lockfile',
      files: { ...ciSteps('deno check main.ts', 'deno check --frozen main.ts'), 'deno.json': '{}\n' },
      errors: [{ ...word(ciSteps('deno check main.ts'), '.github/workflows/ci.yml', 'deno check main.ts', 'deno'), level: 'warning', context: 'ci', message: '`deno check` (github-actions' }],
    },
    {
      name: '--no-lock is an error even with --cached-only',
      files: image(['CMD ["deno", "run", "--cached-only", "--no-lock", "main.ts"]']),
      errors: [{ file: 'Dockerfile', at: '--no-lock', level: 'error', message: '`--no-lock` turns off the lockfile for `deno run main.ts` (dockerfile `CMD`)' }],
    },
    {
      name: '--frozen=false is an error',
      files: image(['CMD ["deno", "run", "--frozen=false", "main.ts"]']),
      errors: [{ file: 'Dockerfile', at: '--frozen=false', level: 'error', message: '`--frozen=false` lets `deno run main.ts` (dockerfile `CMD`) rewrite deno.lock' }],
    },
    {
      // one finding per cause: the `"lock": false` finding, not also the unfrozen run below it
      name: '"lock": false is an error, reported once at the config',
      files: image(['CMD ["deno", "run", "main.ts"]'], '{ "lock": false }\n'),
      errors: [{ file: 'deno.json', at: '"lock": false', level: 'error', message: '`"lock": false` turns off the lockfile' }],
    },
    {
      name: '--no-lock in a development task is an error too',
      files: { 'deno.json': '{"tasks":{"dev":"deno run --no-lock main.ts"}}\n' },
      errors: [{ file: 'deno.json', at: '--no-lock', level: 'error', message: '(task `dev`)' }],
    },
  ],
});
