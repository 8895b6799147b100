import { ruleTester } from '../rule-tester.js';

ruleTester('unresolved-value', {
  valid: [
    {
      name: 'variables that do not reach a runtime, and variables set to literals first',
      files: {
        'deno.json': '{ "tasks": { "a": "echo $FLAGS", "b": "deno run --allow-read=./data main.ts" } }\n',
        'scripts/a.sh': '#!/bin/sh\nDATA=./data\ndeno run --allow-read=$DATA main.ts\n',
      },
    },
  ],
  invalid: [
    {
      name: 'shell variables in a task: the whole word, and a flag value',
      files: { 'deno.json': '{\n  "tasks": {\n    "a": "deno run $FLAGS main.ts",\n    "b": "deno run --allow-read=$DATA main.ts"\n  }\n}\n' },
      errors: [
        { file: 'deno.json', at: '$FLAGS', level: 'note', message: 'is not known statically (shell variable $FLAGS)' },
        { file: 'deno.json', at: '--allow-read=$DATA', level: 'note', message: 'permlint does not guess what it grants' },
      ],
    },
    {
      name: 'a GitHub Actions expression keeps the note in CI',
      files: {
        '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno run --frozen ${{ inputs.flags }} main.ts\n',
      },
      errors: [{ file: '.github/workflows/ci.yml', at: '${{ inputs.flags }}', level: 'note', context: 'ci', message: 'GitHub Actions expression' }],
    },
  ],
});
