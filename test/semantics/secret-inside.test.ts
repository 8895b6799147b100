/**
 * secret-exposure through the query engine: a grant of a path *inside* a credential location
 * (a key file, one home folder, one process's environment) reaches secrets just as a grant of the
 * location does; a grant of a harmless file inside a folder that merely holds secrets does not.
 */
import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/engine.js';
import { secretExposure } from '../../rules/secret-exposure.js';
import { modelOf } from './where.js';

function found(cmd: string) {
  const model = modelOf([{ text: cmd, context: { kind: 'deployment', cwd: '' } }]);
  return runRules(model, [secretExposure]).findings;
}

describe('secret-exposure: paths inside credential locations', () => {
  it.each([
    ['deno run --allow-read=/etc/shadow main.ts', 'password hashes'],
    ['deno run --allow-read=/root/.ssh main.ts', 'SSH private keys'],
    ['deno run --allow-read=/root/.ssh/id_rsa main.ts', 'SSH private keys'],
    ['deno run --allow-read=~/.ssh/id_ed25519 main.ts', 'SSH private keys'],
    ['deno run --allow-read=/home/me main.ts', 'home directory'],
    ['deno run --allow-read=/home/me/.aws/credentials main.ts', 'AWS credentials'],
    ['deno run --allow-read=/proc/self/environ main.ts', 'environment'],
    ['deno run --allow-read=/proc/1/environ main.ts', 'environment'],
    ['node --permission --allow-fs-read=/root/.ssh/id_ed25519 main.js', 'SSH private keys'],
    ['node --permission --allow-fs-read=/home/us* main.js', 'home directory'],
  ])('%s', (cmd, why) => {
    const f = found(cmd);
    expect(f).toHaveLength(1);
    expect(f[0]!.ruleId).toBe('secret-exposure');
    expect(f[0]!.message).toContain(why);
    expect(f[0]!.span.column).toBe(cmd.indexOf('=') + 2);
  });

  it.each([
    'deno run --allow-read=/etc/hosts,/etc/ssl/certs,/etc/resolv.conf main.ts',
    'deno run --allow-read=/proc/cpuinfo main.ts',
    'deno run --allow-read=/run/secrets/db_password main.ts',
    'deno run --allow-read=/home2/me main.ts',
    'deno run --allow-read=/root2 main.ts',
  ])('not reported: %s', (cmd) => {
    expect(found(cmd)).toEqual([]);
  });

  it('says where the grant lies', () => {
    expect(found('deno run --allow-read=/root/.ssh/id_rsa main.ts')[0]!.message).toContain('lies inside `/root/.ssh`');
  });

  it('the runtime decides denies: a bare deny loses to the more specific allow, an equally specific deny wins', () => {
    expect(found('deno run --deny-read --allow-read=/etc/shadow main.ts')).toHaveLength(1);
    expect(found('deno run --allow-read=~/.ssh/id_rsa --deny-read=~/.ssh main.ts')).toHaveLength(1);
    expect(found('deno run --allow-read=/etc --deny-read=/etc main.ts')).toEqual([]);
    expect(found('deno run --allow-read=/etc --ignore-read=/etc main.ts')).toEqual([]);
    expect(found('deno run --allow-env=AWS_* --deny-env=AWS_* main.ts')).toEqual([]);
    expect(found('deno run --allow-env=AWS_* --deny-env main.ts')).toHaveLength(1);
  });
});
