/*
 * ESLint 9's flat config, generated from .eslintrc.cjs — the file the design card asks for and
 * the one to edit: FlatCompat translates it (parser, plugins, extends, env, rules,
 * ignorePatterns), so the two cannot drift and ESLint prints no eslintrc deprecation warning.
 */
import { createRequire } from 'node:module';
import { FlatCompat } from '@eslint/eslintrc';
import js from '@eslint/js';

const require = createRequire(import.meta.url);
const legacy = require('./.eslintrc.cjs');
const compat = new FlatCompat({ baseDirectory: import.meta.dirname, recommendedConfig: js.configs.recommended, allConfig: js.configs.all });

export default [
  ...compat.config(legacy),
  // CommonJS helper scripts (flat config lints .cjs, which eslintrc's directory walk skipped)
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // the CLI's entry is CommonJS too (bin/package.json: a run never loads Node's ES-module loader)
  { files: ['bin/*.js'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
];
