import { describe, expect, it } from 'vitest';
import { parsePackageManager } from '../../src/grammar/package-manager.js';
import { tokens } from '../differential/util.js';

const pm = (line: string) => {
  const [program, ...args] = tokens(line.split(' '));
  return parsePackageManager(program!, args);
};

describe('package-manager grammar', () => {
  it.each([
    // command                         action     global frozen   script      packages
    ['npm install', 'install', false, undefined, undefined, []],
    ['npm i left-pad', 'install', false, undefined, undefined, ['left-pad']],
    ['npm ci', 'ci', false, undefined, undefined, []],
    ['npm install -g typescript', 'install', true, undefined, undefined, ['typescript']],
    ['npm --prefix web run build', 'run', false, undefined, 'build', []],
    ['npm start', 'run', false, undefined, 'start', []],
    ['npm t', 'run', false, undefined, 'test', []],
    ['npm exec -- eslint .', 'exec', false, undefined, undefined, []],
    ['yarn', 'install', false, undefined, undefined, []],
    ['yarn install --immutable', 'install', false, true, undefined, []],
    ['yarn --frozen-lockfile', 'install', false, true, undefined, []],
    ['yarn build', 'run', false, undefined, 'build', []],
    ['yarn workspace web run dev', 'run', false, undefined, 'dev', []],
    ['yarn global add serve', 'install', true, undefined, undefined, ['serve']],
    ['yarn dlx create-vite', 'dlx', false, undefined, undefined, []],
    ['pnpm install --frozen-lockfile', 'install', false, true, undefined, []],
    ['pnpm add -g pnpm', 'install', true, undefined, undefined, ['pnpm']],
    ['pnpm -C web dev', 'run', false, undefined, 'dev', []],
    ['pnpm dlx cowsay', 'dlx', false, undefined, undefined, []],
    ['deno install', 'install', false, undefined, undefined, []],
    ['deno install --frozen', 'install', false, true, undefined, []],
    ['deno install -g -A jsr:@std/http/file-server', 'install', true, undefined, undefined, ['jsr:@std/http/file-server']],
    ['deno ci', 'ci', false, true, undefined, []],
  ])('%s', (line, action, global, frozen, script, packages) => {
    const f = pm(line)!;
    expect(f.action).toBe(action);
    expect(f.global).toBe(global);
    expect(f.frozen?.value).toBe(frozen);
    expect(f.script?.name).toBe(script);
    expect(f.packages.map((t) => t.value)).toEqual(packages);
  });

  it('pnpm install is frozen by default where CI is set; npm and yarn installs are not', () => {
    expect(pm('pnpm install')!.frozenInCI).toBe(true);
    expect(pm('pnpm add left-pad')!.frozenInCI).toBeUndefined();
    expect(pm('npm install')!.frozenInCI).toBeUndefined();
  });

  it('not a package manager', () => {
    expect(pm('deno run main.ts')).toBeUndefined();
    expect(pm('node app.js')).toBeUndefined();
  });

  it('workspace and folder options', () => {
    expect(pm('npm -w api run build')).toMatchObject({ workspace: 'api', script: { name: 'build' } });
    expect(pm('npm --prefix=web install')).toMatchObject({ dir: 'web', action: 'install' });
  });
});
