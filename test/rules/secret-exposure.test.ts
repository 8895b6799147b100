import { describe, expect, it } from 'vitest';
import { fixtureFiles, ruleTester } from '../rule-tester.js';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { at, modelOf, positions } from '../semantics/where.js';
import { runRules } from '../../src/engine.js';
import { RULES } from '../../rules/index.js';
import { secretExposure } from '../../rules/secret-exposure.js';

const FX = 'paths-secret-exposure';
const RULE = 'secret-exposure';

const loc = (file: string, lineHas: string, token: string, after = '') => {
  const [, line, column] = at(FX, file, lineHas, token, after).split(':');
  return { file, line: Number(line), column: Number(column) };
};
/** A finding of the fixture: warning (error, one step lower in development). */
const w = (file: string, lineHas: string, token: string, message: string | RegExp, after = '') => ({
  ...loc(file, lineHas, token, after),
  level: 'warning' as const,
  context: 'development' as const,
  message,
});
const tasks = (t: Record<string, string>) => ({ 'deno.json': JSON.stringify({ tasks: t }, null, 2) });

ruleTester(RULE, {
  valid: [
    { name: 'one deliberate secret file', files: tasks({ 'one-secret': 'deno run --allow-read=/run/secrets/db_password main.ts' }) },
    { name: 'project paths, public certificates and /tmp', files: tasks({ project: 'deno run --allow-read=./data,/etc/ssl/certs,/tmp main.ts' }) },
    { name: 'exact env names, even of a secret', files: tasks({ 'exact-env': 'deno run --allow-env=AWS_REGION,PORT,AWS_SECRET_ACCESS_KEY main.ts' }) },
    { name: '.env.example is no dotenv file', files: tasks({ example: 'deno run --allow-read=.env.example main.ts' }) },
    { name: 'a flag in echo text grants nothing', files: tasks({ echo: 'echo --allow-read=/' }) },
    { name: 'a deny of the same place closes it', files: tasks({ denied: 'deno run --allow-read=/etc --deny-read=/etc main.ts' }) },
    { name: 'a permission set of project paths and an exact env name', files: { 'deno.json': JSON.stringify({ permissions: { fine: { read: ['./data'], env: ['GITHUB_SHA'] } } }) } },
    { name: 'a Node script reading a project folder', files: { 'package.json': JSON.stringify({ scripts: { data: 'node --permission --allow-fs-read=./data server.js' } }) } },
    // one risk, one finding: these belong to unscoped-grant and allow-all (checked below)
    { name: 'bare -R and -A are left to their own rules', files: tasks({ unscoped: 'deno run -R main.ts', all: 'deno run -A main.ts' }) },
  ],
  invalid: [
    {
      // none on the fixture's one-secret, project, exact-env, unscoped, all, denied, echo, fine and data entries: exactly these ten;
      // on the "dotenv" line only `.env`, never `.env.example`
      name: 'each list value that reaches credentials, in tasks, permission sets and Node scripts, saying what it reaches and the narrower grant',
      files: fixtureFiles(FX),
      errors: [
        w('deno.json', '"root"', '/', /read the whole file system, including `~\/\.ssh`, `~\/\.aws`, `\/etc`.*--allow-read=\.\/data/, '--allow-read='),
        w('deno.json', '"home"', '~/.ssh', 'read SSH private keys'),
        w('deno.json', '"home"', '$HOME', 'read the home directory'),
        w('deno.json', '"home"', '${HOME}/.aws', 'read AWS credentials'),
        w('deno.json', '"etc"', '/etc', 'read system configuration'),
        w('deno.json', '"dotenv"', '.env', 'read a dotenv file', '--allow-read='),
        w('deno.json', '"env": "deno', 'AWS_*', '`--allow-env=AWS_REGION`'),
        w('deno.json', '"k8s"', '/var/run/secrets', '`--allow-read=/var/run/secrets/db_password`'),
        w('deno.json', '"ci"', '/proc', '`"read": ["./data"]`'),
        w('package.json', '"homes"', '/home/*', '`--allow-fs-read=./data`'),
      ],
    },
    {
      name: 'a directory holding a dotenv file found in the tree',
      files: { ...tasks({ start: 'deno run --allow-read=./config,./data main.ts' }), 'config/.env': 'DATABASE_URL=x\n' },
      errors: [{ file: 'deno.json', at: './config', level: 'warning', message: '`config/.env`' }],
    },
  ],
});

describe('secret-exposure', () => {
  it('leaves unscoped grants and allow-all to their own rules (one risk, one finding)', async () => {
    const { findings } = await lint(memoryFs(fixtureFiles(FX)));
    expect(positions(findings, 'unscoped-grant')).toContain(at(FX, 'deno.json', '"unscoped"', '-R'));
    expect(positions(findings, 'allow-all')).toContain(at(FX, 'deno.json', '"all"', '-A'));
    const onThose = findings.filter((f) => f.ruleId === RULE && (f.span.line === 12 || f.span.line === 13));
    expect(onThose).toEqual([]);
  });

  it('respects trusted paths from the config', () => {
    const model = modelOf([{ text: 'deno run --allow-read=/run/secrets,/etc main.ts', context: { kind: 'deployment', cwd: '' } }]);
    const all = runRules(model, [secretExposure]).findings;
    expect(all.map((f) => f.span.column)).toEqual([23, 36]);
    const trusted = runRules(model, [secretExposure], { trusted: { hosts: [], paths: ['/run/secrets'], programs: [] } }).findings;
    expect(trusted.map((f) => f.span.column)).toEqual([36]);
    expect(trusted[0]!.level).toBe('error'); // deployment: the catalogue level
  });

  it('reports a directory holding a dotenv file when the model knows one', () => {
    const model = modelOf([{ text: 'deno run --allow-read=./config,./data main.ts', context: { kind: 'deployment', cwd: '' } }]);
    expect(runRules(model, RULES).findings.filter((f) => f.ruleId === RULE)).toEqual([]);
    model.secretFiles = ['config/.env'];
    const found = runRules(model, RULES).findings.filter((f) => f.ruleId === RULE);
    expect(found.map((f) => f.span.column)).toEqual([23]);
    expect(found[0]!.message).toContain('`config/.env`');
  });

  it('a deny at least as specific as the grant closes the place; a broader grant still reaches the rest', () => {
    const model = modelOf([{ text: 'deno run --allow-read=/ --deny-read=/etc,~ main.ts', context: { kind: 'deployment', cwd: '' } }]);
    const found = runRules(model, [secretExposure]).findings;
    expect(found).toHaveLength(1);
    expect(found[0]!.message).not.toMatch(/`\/etc`|`~\/\.ssh`/);
    expect(found[0]!.message).toContain('`/run/secrets`');
  });
});
