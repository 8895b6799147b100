import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { ROOT } from '../helpers.js';
import { STARTER_CONFIG, globMatcher, resolveConfig, validateConfig } from '../../src/config.js';
import { resolveLevel } from '../../src/engine.js';
import { KNOWN } from '../report/sarif-helpers.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schema/permlint.schema.json'), 'utf8')) as object;
const ajv = new Ajv.default({ allErrors: true, strict: true, strictTuples: false });
const ajvValidate = ajv.compile(schema);

const VALID: unknown[] = [
  {},
  STARTER_CONFIG,
  { rules: { 'allow-all': 'off', 'unscoped-grant': ['warning', { x: 1 }], 'ffi-grant': ['note'] } },
  { rules: { 'allow-all': { level: 'warning', options: {}, contexts: { ci: 'off', test: 'note' } } } },
  { ignore: ['vendor/', '**/*.gen.sh'], contexts: { deployment: ['deploy/**'], test: ['e2e/'] }, trusted: { hosts: ['api.example.com'], paths: ['./data'], programs: ['git'] } },
  { overrides: [{ files: ['tools/**'], excludedFiles: ['tools/keep.sh'], rules: { 'allow-all': 'off' } }] },
];
const INVALID: [unknown, string][] = [
  [{ rule: {} }, 'rule: unknown key; did you mean `rules`?'],
  [{ rules: { 'allow-all': 'eror' } }, 'rules.allow-all: expected one of "off", "note", "warning", "error"'],
  [{ rules: { 'allow-all': ['error', {}, 3] } }, 'rules.allow-all: takes at most 2 items'],
  [{ rules: { 'allow-all': { level: 'error', context: {} } } }, 'rules.allow-all.context: unknown key; did you mean `contexts`?'],
  [{ rules: { 'allow-all': 3 } }, 'rules.allow-all: expected a string or an array or an object, not an integer'],
  [{ trusted: { hosts: 'api.example.com' } }, 'trusted.hosts: expected an array, not a string'],
  [{ contexts: { production: ['x'] } }, 'contexts.production: unknown key'],
  [{ overrides: [{ rules: {} }] }, 'overrides[0]: missing required key `files`'],
  [{ overrides: [{ files: [] }] }, 'overrides[0].files: needs at least 1 item'],
  [{ ignore: [''] }, 'ignore[0]: must not be empty'],
  [[], '(root): expected an object, not an array'],
];

describe('config schema (schema/permlint.schema.json)', () => {
  it('is a valid JSON schema for ajv in strict mode', () => {
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it.each(VALID.map((v, i) => [i, v] as const))('valid config %i passes ajv and permlint', (_i, v) => {
    expect(ajvValidate(v), ajv.errorsText(ajvValidate.errors)).toBe(true);
    expect(validateConfig(v, KNOWN)).toEqual([]);
  });

  it.each(INVALID.map(([v, msg]) => [msg, v] as const))('invalid: %s', (msg, v) => {
    expect(ajvValidate(v)).toBe(false);
    const errors = validateConfig(v, KNOWN);
    expect(errors.some((e) => e.startsWith(msg)), errors.join('\n')).toBe(true);
  });

  it('unknown rule ids are errors with a did-you-mean, at the top level and in overrides', () => {
    expect(validateConfig({ rules: { 'alow-all': 'off' } }, KNOWN)).toEqual(['rules.alow-all: unknown rule; did you mean `allow-all`? (see `permlint rules`)']);
    expect(validateConfig({ overrides: [{ files: ['x'], rules: { 'unscoped-grants': 'off' } }] }, KNOWN)[0]).toContain('overrides[0].rules.unscoped-grants: unknown rule; did you mean `unscoped-grant`?');
    expect(validateConfig({ rules: { 'no-such-thing-at-all': 'off' } }, KNOWN)[0]).not.toContain('did you mean');
  });
});

describe('globs', () => {
  it('match like .gitignore: names without an inner slash at any depth, dir/ for a folder, a leading or inner slash anchors', () => {
    const m = globMatcher(['*.gen.sh', 'deploy/', '/tools/**', 'k8s']);
    expect(m('a/b/x.gen.sh')).toBe(true);
    expect(m('x.gen.sh')).toBe(true);
    expect(m('deploy/start.sh')).toBe(true);
    expect(m('sub/deploy/start.sh')).toBe(true); // as in .gitignore: a trailing slash alone does not anchor
    expect(m('tools/a/b.sh')).toBe(true);
    expect(m('x/tools/b.sh')).toBe(false);
    expect(m('apps/k8s/deploy.yaml')).toBe(true);
    expect(m('scripts/x.sh')).toBe(false);
  });
});

describe('levels', () => {
  const grant = { id: 'allow-all', category: 'grant' as const };
  const mistake = { id: 'deprecated-flag', category: 'mistake' as const };
  it('a configured level replaces the catalogue level; the context still lowers grant rules', () => {
    const o = resolveConfig({ rules: { 'allow-all': 'warning', 'deprecated-flag': 'error' } }).engine;
    expect(resolveLevel(grant, 'error', 'a.sh', 'deployment', o)).toBe('warning');
    expect(resolveLevel(grant, 'error', 'a.sh', 'development', o)).toBe('note');
    expect(resolveLevel(mistake, 'warning', 'a.sh', 'development', o)).toBe('error');
  });
  it('a level per context is exact, and can turn a rule on only there', () => {
    const o = resolveConfig({ rules: { 'allow-all': { level: 'off', contexts: { deployment: 'error', ci: 'warning' } } } }).engine;
    expect(resolveLevel(grant, 'error', 'a.sh', 'deployment', o)).toBe('error');
    expect(resolveLevel(grant, 'error', 'a.sh', 'ci', o)).toBe('warning');
    expect(resolveLevel(grant, 'error', 'a.sh', 'development', o)).toBe('off');
  });
  it('overrides apply to matching files, later ones win, excludedFiles are left out', () => {
    const o = resolveConfig({
      overrides: [
        { files: ['tools/**'], excludedFiles: ['tools/keep.sh'], rules: { 'allow-all': 'off' } },
        { files: ['tools/legacy/**'], rules: { 'allow-all': 'note' } },
      ],
    }).engine;
    expect(resolveLevel(grant, 'error', 'tools/a.sh', 'deployment', o)).toBe('off');
    expect(resolveLevel(grant, 'error', 'tools/keep.sh', 'deployment', o)).toBe('error');
    expect(resolveLevel(grant, 'error', 'tools/legacy/b.sh', 'deployment', o)).toBe('note');
    expect(resolveLevel(grant, 'error', 'src/a.sh', 'deployment', o)).toBe('error');
  });
  it('contexts move files; the first listed context wins', () => {
    const c = resolveConfig({ contexts: { test: ['deploy/e2e/'], deployment: ['deploy/'] } });
    expect(c.contextOverride!('deploy/e2e/run.sh')).toBe('test');
    expect(c.contextOverride!('deploy/run.sh')).toBe('deployment');
    expect(c.contextOverride!('scripts/run.sh')).toBeUndefined();
  });
  it('contexts of a config in a folder above the scan root: paths seen from the config, however they are written', () => {
    const cfg = { contexts: { test: ['/corpus/deno/tests/'], development: ['tools/'] } };
    const c = resolveConfig(cfg, { configDir: '/repo', root: '/repo/corpus/deno' });
    const answers = ['tests/a.ts', 'x/tests/a.ts', 'tools/b.sh', './tests/a.ts', 'x/../tests/a.ts', 'tests//a.ts', '../deno/tests/a.ts', '../../tools/b.sh', '/repo/corpus/deno/tests/a.ts', 'tests'].map((f) => [f, c.contextOverride!(f)]);
    // (a path that climbs out of the root may still be inside the config's folder; `tests/` is what is under it)
    expect(answers).toEqual([
      ['tests/a.ts', 'test'],
      ['x/tests/a.ts', undefined],
      ['tools/b.sh', 'development'],
      ['./tests/a.ts', 'test'],
      ['x/../tests/a.ts', 'test'],
      ['tests//a.ts', 'test'],
      ['../deno/tests/a.ts', 'test'],
      ['../../tools/b.sh', 'development'],
      ['/repo/corpus/deno/tests/a.ts', 'test'],
      ['tests', undefined],
    ]);
  });
});
