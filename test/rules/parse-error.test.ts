import { ruleTester } from '../rule-tester.js';

ruleTester('parse-error', {
  valid: [
    {
      name: 'deno.jsonc with comments and trailing commas, a BOM, CRLF line ends',
      files: {
        'deno.jsonc': '\ufeff// tasks\r\n{\r\n  "tasks": { "a": "deno run main.ts", },\r\n}\r\n',
        'k8s/app.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec:\n  containers: []\n',
      },
    },
    {
      name: 'files permlint does not read are never parsed',
      files: { 'notes.txt': '{ not json', 'data/x.csv': 'a,"b' },
    },
  ],
  invalid: [
    {
      name: 'malformed JSON: package.json is strict (npm refuses trailing commas), deno.json is cut short',
      files: {
        'package.json': '{"scripts":{"a":"node x.js",}}',
        'deno.json': '{\n  "tasks": {\n    "a": "deno run main.ts",\n',
      },
      errors: [
        { file: 'deno.json', line: 4, column: 1, level: 'error', message: 'invalid JSON' },
        { file: 'package.json', at: '}', level: 'error', message: 'property name expected' },
      ],
    },
    {
      name: 'malformed YAML manifest and a shell script with an open quote',
      files: {
        'k8s/app.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: a\nspec: [\n',
        'scripts/x.sh': '#!/bin/sh\necho "unterminated\n',
      },
      errors: [
        { file: 'k8s/app.yaml', line: 4, column: 1, level: 'error', message: 'invalid YAML' },
        { file: 'scripts/x.sh', at: '"', level: 'error', message: 'closing quote' },
      ],
    },
  ],
});
