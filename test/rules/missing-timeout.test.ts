import { fixtureFiles, ruleTester, spanOf } from '../rule-tester.js';

const FX = fixtureFiles('ts-netscript');
/** Where a finding starts: the first character of `text` in the fixture file. */
const at = (file: string, text: string) => {
  const s = spanOf(FX[file]!, text);
  return { file, line: s.line, column: s.column };
};

ruleTester('missing-timeout', {
  valid: [
    {
      name: 'both timeout and retries set, or a task that reaches neither run, write nor net',
      files: {
        'task.ts':
          "import { defineTask } from '@netscript/plugin-workers-core';\nexport const t = defineTask('t').entrypoint('./t.ts').permissions({ net: ['a.example.com'] }).timeout(5000).retry(2).build();\nexport const u = defineTask('u').entrypoint('./u.ts').permissions({ read: ['./data'] }).build();\n",
      },
    },
  ],
  invalid: [
    {
      // the fixture's other tasks (daily-report, everything, fetcher, spread, merged, python-etl, inline) give none: exactly these two
      name: 'fires once per task granted run, write or net that leaves timeout or retries implicit, naming what is missing',
      files: FX,
      errors: [
        { ...at('workers/presets.ts', "task('const-object')"), level: 'note', message: /^(?=.*timeout .* and its retry count)(?=.*write)/s },
        { ...at('workers/tasks.ts', "defineTask('charge-customer')"), level: 'note', message: /timeout .* and its retry count/ },
      ],
    },
    {
      name: 'names only what is missing when one of the two is set',
      files: {
        'task.ts':
          "import { defineTask } from '@netscript/plugin-workers-core';\nexport const t = defineTask('t').entrypoint('./t.ts').permissions({ net: ['a.example.com'] }).timeout(5000).build();\nexport const u = defineTask('u').entrypoint('./u.ts').permissions({ read: ['./data'] }).build();\n",
      },
      errors: [{ file: 'task.ts', line: 2, column: 18, level: 'note', message: /^(?!.*its timeout)(?=.*retry count)/s }],
    },
  ],
});
