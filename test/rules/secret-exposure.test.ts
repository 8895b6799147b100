import { describe, expect, it } from 'vitest';
import { lintFixture } from '../helpers.js';
import { at, modelOf, positions } from '../semantics/where.js';
import { runRules } from '../../src/engine.js';
import { RULES } from '../../rules/index.js';
import { secretExposure } from '../../rules/secret-exposure.js';

const FX = 'paths-secret-exposure';
const RULE = 'secret-exposure';

describe('secret-exposure', () => {
  it('points at each list value that reaches credentials, in tasks, permission sets and Node scripts', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, RULE)).toEqual([
      at(FX, 'deno.json', '"root"', '/', '--allow-read='),
      at(FX, 'deno.json', '"home"', '~/.ssh'),
      at(FX, 'deno.json', '"home"', '$HOME'),
      at(FX, 'deno.json', '"home"', '${HOME}/.aws'),
      at(FX, 'deno.json', '"etc"', '/etc'),
      at(FX, 'deno.json', '"dotenv"', '.env', '--allow-read='),
      at(FX, 'deno.json', '"env": "deno', 'AWS_*'),
      at(FX, 'deno.json', '"k8s"', '/var/run/secrets'),
      at(FX, 'deno.json', '"ci"', '/proc'),
      at(FX, 'package.json', '"homes"', '/home/*'),
    ]);
    for (const f of findings.filter((x) => x.ruleId === RULE)) {
      expect(f.level).toBe('warning'); // error, one step lower in development
    }
  });

  it('never fires on look-alikes: one deliberate secret file, project paths, exact env names, .env.example, echo text', async () => {
    const { findings } = await lintFixture(FX);
    const lines = new Set(findings.filter((f) => f.ruleId === RULE).map((f) => `${f.span.file}:${f.span.line}`));
    for (const task of ['"one-secret"', '"project"', '"exact-env"', '"echo"', '"fine"', '"denied"']) {
      expect(lines.has(at(FX, 'deno.json', task, task).split(':').slice(0, 2).join(':')), task).toBe(false);
    }
    expect(lines.has(at(FX, 'package.json', '"data"', '"data"').split(':').slice(0, 2).join(':'))).toBe(false);
    // `.env.example` on the same line as `.env`: only `.env` is reported
    const dotenvLine = Number(at(FX, 'deno.json', '"dotenv"', '.env').split(':')[1]);
    expect(findings.filter((f) => f.ruleId === RULE && f.span.line === dotenvLine).map((f) => f.span.column)).toEqual([
      Number(at(FX, 'deno.json', '"dotenv"', '.env', '--allow-read=').split(':')[2]),
    ]);
  });

  it('leaves unscoped grants and allow-all to their own rules (one risk, one finding)', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, 'unscoped-grant')).toContain(at(FX, 'deno.json', '"unscoped"', '-R'));
    expect(positions(findings, 'allow-all')).toContain(at(FX, 'deno.json', '"all"', '-A'));
    const onThose = findings.filter((f) => f.ruleId === RULE && (f.span.line === 12 || f.span.line === 13));
    expect(onThose).toEqual([]);
  });

  it('says what the grant reaches and the narrower grant', async () => {
    const { findings } = await lintFixture(FX);
    const msg = (line: string) => findings.find((f) => f.ruleId === RULE && `${f.span.file}:${f.span.line}:${f.span.column}` === line)!.message;
    expect(msg(at(FX, 'deno.json', '"root"', '/', '--allow-read='))).toMatch(/read the whole file system, including `~\/\.ssh`, `~\/\.aws`, `\/etc`.*--allow-read=\.\/data/);
    expect(msg(at(FX, 'deno.json', '"k8s"', '/var/run/secrets'))).toContain('`--allow-read=/var/run/secrets/db_password`');
    expect(msg(at(FX, 'deno.json', '"env": "deno', 'AWS_*'))).toContain('`--allow-env=AWS_REGION`');
    expect(msg(at(FX, 'deno.json', '"ci"', '/proc'))).toContain('`"read": ["./data"]`');
    expect(msg(at(FX, 'package.json', '"homes"', '/home/*'))).toContain('`--allow-fs-read=./data`');
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
