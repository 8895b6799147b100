/** NODE_OPTIONS exported on one line of a script reaches the `node` of later lines (shell source + link phase). */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';

async function lastNode(files: Record<string, string>, file = 'run.sh') {
  const { model } = await lint(memoryFs(files));
  const inv = model.invocations.filter((i) => i.runtime === 'node' && i.origin.file === file).pop()!;
  return { on: inv.node?.enabled?.flag ?? null, read: inv.effective.read.allow, at: inv.node?.enabled?.span.line ?? null };
}

/** Every node line of run.sh, in the order the script runs them: where, whether the model is on, and whether NODE_OPTIONS is known. */
async function nodes(body: string, extra: Record<string, string> = {}) {
  const { model, findings } = await lint(memoryFs({ ...sh(body), ...extra }));
  const invs = model.invocations.filter((i) => i.runtime === 'node' && i.origin.file === 'run.sh');
  return {
    runs: invs.map((i) => `${i.command.span.line - 1}:${i.unresolved.length ? 'unknown' : i.implicitAll ? 'off' : `on ${JSON.stringify(i.effective.read.allow)}`}`),
    unresolved: findings.filter((f) => f.ruleId === 'unresolved-value').map((f) => `${f.span.file}:${f.span.line}:${f.span.column} ${f.level}`),
  };
}

const sh = (body: string) => ({ 'run.sh': `#!/bin/sh\n${body}` });
const GRANT = '--permission --allow-fs-read=/srv';

describe('NODE_OPTIONS across the lines of a shell script', () => {
  it('export on one line, node on a later one, or after `;`', async () => {
    expect(await lastNode(sh(`export NODE_OPTIONS="${GRANT}"\necho hi\nnode main.js\n`))).toEqual({ on: '--permission', read: ['/srv'], at: 2 });
    expect(await lastNode(sh(`export NODE_OPTIONS="${GRANT}"; node main.js\n`))).toMatchObject({ on: '--permission', read: ['/srv'] });
    expect(await lastNode(sh(`if true; then export NODE_OPTIONS="${GRANT}"; fi\nnode main.js\n`))).toMatchObject({ on: '--permission', read: ['/srv'] });
  });

  it('an assignment that is not exported does not reach node; `export NAME` afterwards does', async () => {
    expect(await lastNode(sh(`NODE_OPTIONS="${GRANT}"\nnode main.js\n`))).toMatchObject({ on: null, read: 'all' });
    expect(await lastNode(sh(`NODE_OPTIONS="${GRANT}"\nexport NODE_OPTIONS\nnode main.js\n`))).toMatchObject({ on: '--permission', read: ['/srv'] });
  });

  it('unset, a new value, an appended value and a prefix assignment replace what was exported', async () => {
    expect(await lastNode(sh(`export NODE_OPTIONS="${GRANT}"\nunset NODE_OPTIONS\nnode main.js\n`))).toMatchObject({ on: null, read: 'all' });
    expect(await lastNode(sh(`export NODE_OPTIONS="${GRANT}"\nNODE_OPTIONS="--permission"\nnode main.js\n`))).toMatchObject({ on: '--permission', read: [] });
    expect(await lastNode(sh(`export NODE_OPTIONS="--permission"\nexport NODE_OPTIONS="$NODE_OPTIONS --allow-fs-read=/y"\nnode main.js\n`))).toMatchObject({ on: '--permission', read: ['/y'] });
    expect(await lastNode(sh(`export NODE_OPTIONS="${GRANT}"\nNODE_OPTIONS="--permission --allow-fs-read=/z" node main.js\n`))).toMatchObject({ on: '--permission', read: ['/z'] });
  });

  it('an earlier node line keeps what held there', async () => {
    const { model } = await lint(memoryFs(sh(`node first.js\nexport NODE_OPTIONS="${GRANT}"\nnode second.js\n`)));
    const [first, second] = model.invocations.filter((i) => i.runtime === 'node');
    expect(first!.implicitAll).toBeDefined();
    expect(second!.effective.read.allow).toEqual(['/srv']);
  });

  it("what the script exports wins over the NODE_OPTIONS of the Dockerfile that runs it", async () => {
    const files = {
      'Dockerfile': 'FROM node:22.23.5\nWORKDIR /app\nCOPY . .\nUSER node\nENV NODE_OPTIONS="--permission --allow-fs-read=/from-image"\nCMD ["./run.sh"]\n',
      ...sh(`export NODE_OPTIONS="${GRANT}"\nnode /app/main.js\n`),
    };
    // the script's value, not the image's; the image's Node 22.23.5 reads its entry file implicitly
    expect(await lastNode(files)).toMatchObject({ on: '--permission', read: ['/srv', '/app/main.js'] });
    const { model } = await lint(memoryFs(files));
    expect(model.invocations.find((i) => i.origin.file === 'run.sh')!.context.kind).toBe('deployment');
  });

  it('file-system grants without the model stop Node at start-up (invalid-permission)', async () => {
    const { findings } = await lint(memoryFs(sh('export NODE_OPTIONS="--allow-fs-read=/srv"\nnode main.js\n')));
    expect(findings.filter((f) => f.ruleId === 'invalid-permission').map((f) => `${f.span.file}:${f.span.line}:${f.span.column} ${f.level}`)).toEqual(['run.sh:2:22 error']);
  });

  describe('control flow, as /bin/sh (dash) runs it', () => {
    const X = `export NODE_OPTIONS="${GRANT}"`;
    it('a subshell, a pipeline element, a background job or a command substitution keeps its export to itself', async () => {
      for (const body of [`( ${X} )\nnode a.js\n`, `${X} | cat\nnode a.js\n`, `true | ${X}\nnode a.js\n`, `${X} &\nnode a.js\n`, `v=$(${X})\nnode a.js\n`, `f() ( ${X} )\nf\nnode a.js\n`]) {
        expect((await nodes(body)).runs, body).toEqual(['2:off'].map((r) => (body.startsWith('f()') ? '3:off' : r)));
      }
    });

    it('a `{ …; }` group, `&&` after a command that succeeds, `if true` and a function body change the script itself', async () => {
      expect((await nodes(`{ ${X}; }\nnode a.js\n`)).runs).toEqual(['2:on ["/srv"]']);
      expect((await nodes(`true && ${X}\nnode a.js\n`)).runs).toEqual(['2:on ["/srv"]']);
      expect((await nodes(`false || ${X}\nnode a.js\n`)).runs).toEqual(['2:on ["/srv"]']);
      expect((await nodes(`false && ${X}\nnode a.js\n`)).runs).toEqual(['2:off']);
      expect((await nodes(`f() { ${X}; }\nf\nnode a.js\n`)).runs).toEqual(['3:on ["/srv"]']);
      expect((await nodes(`${X}\nf() { unset NODE_OPTIONS; }\nf\nnode a.js\n`)).runs).toEqual(['4:off']);
    });

    it('a function runs with the environment where it is called, not where it is defined', async () => {
      expect((await nodes(`f() { node a.js; }\n${X}\nf\n`)).runs).toEqual(['1:on ["/srv"]']);
      // called twice in different environments: both runs
      expect((await nodes(`f() { node a.js; }\nf\n${X}\nf\n`)).runs).toEqual(['1:off', '1:on ["/srv"]']);
      // never called: read once, with the environment at its definition
      expect((await nodes(`${X}\nf() { node a.js; }\n`)).runs).toEqual(['2:on ["/srv"]']);
    });

    it('`X=… f` exports X for the function call only', async () => {
      expect((await nodes(`f() { node a.js; }\nNODE_OPTIONS="${GRANT}" f\nnode b.js\n`)).runs).toEqual(['1:on ["/srv"]', '3:off']);
      expect((await nodes(`${X}\nf() { node a.js; }\nNODE_OPTIONS= f\nnode b.js\n`)).runs).toEqual(['2:off', '4:on ["/srv"]']);
    });

    it('a branch not known statically leaves NODE_OPTIONS unknown (unresolved-value), unless every way gives the same value', async () => {
      const unknown = await nodes(`if [ -n "$CI" ]; then ${X}; fi\nnode a.js\n`);
      expect(unknown).toEqual({ runs: ['2:unknown'], unresolved: ['run.sh:3:1 note'] });
      expect((await nodes(`[ -n "$CI" ] && ${X}\nnode a.js\n`)).runs).toEqual(['2:unknown']);
      expect((await nodes(`case "$1" in prod) ${X};; esac\nnode a.js\n`)).runs).toEqual(['2:unknown']);
      expect((await nodes(`if [ -n "$CI" ]; then ${X}; else ${X}; fi\nnode a.js\n`)).runs).toEqual(['2:on ["/srv"]']);
      expect((await nodes(`case "$1" in a) ${X};; *) ${X};; esac\nnode a.js\n`)).runs).toEqual(['2:on ["/srv"]']);
      // inside the branch the value is known
      expect((await nodes(`if [ -n "$CI" ]; then ${X}; node a.js; fi\n`)).runs).toEqual(['1:on ["/srv"]']);
      // a loop that changes it: the body's first round differs from the later ones
      expect((await nodes(`for i in 1 2; do node a.js; ${X}; done\n`)).runs).toEqual(['1:unknown']);
      expect((await nodes(`for i in 1 2; do ${X}; node a.js; done\n`)).runs).toEqual(['1:on ["/srv"]']);
      // a loop that does not change it: what was exported before holds in every round
      expect((await nodes(`${X}\nfor i in 1 2; do node a.js; done\n`)).runs).toEqual(['2:on ["/srv"]']);
    });

    it('`set -a` (allexport) exports every later assignment; `set +a` stops it', async () => {
      expect((await nodes(`set -a\nNODE_OPTIONS="${GRANT}"\nnode a.js\n`)).runs).toEqual(['3:on ["/srv"]']);
      expect((await nodes(`set -eo allexport\nNODE_OPTIONS="${GRANT}"\nset +a\nnode a.js\n`)).runs).toEqual(['4:on ["/srv"]']);
      expect((await nodes(`set -a\nset +a\nNODE_OPTIONS="${GRANT}"\nnode a.js\n`)).runs).toEqual(['4:off']);
      expect((await nodes(`( set -a )\nNODE_OPTIONS="${GRANT}"\nnode a.js\n`)).runs).toEqual(['3:off']);
      expect((await nodes(`[ -n "$CI" ] && set -a\nNODE_OPTIONS="${GRANT}"\nnode a.js\n`)).runs).toEqual(['3:unknown']);
    });

    it('`env -u NODE_OPTIONS`, `env -i` and `env NODE_OPTIONS=…` in front of node', async () => {
      expect((await nodes(`${X}\nenv -u NODE_OPTIONS node a.js\nenv -i node b.js\nnode c.js\n`)).runs).toEqual(['2:off', '3:off', '4:on ["/srv"]']);
      expect((await nodes(`env NODE_OPTIONS="${GRANT}" node a.js\n`)).runs).toEqual(['1:on ["/srv"]']);
      // the wrapper's value replaces the exported one (it is not added to it)
      expect((await nodes(`export NODE_OPTIONS="--permission --allow-fs-read=/y"\nenv NODE_OPTIONS="${GRANT}" node a.js\n`)).runs).toEqual(['2:on ["/srv"]']);
    });

    it('`sh -c` inherits what is exported, not a variable that is only set', async () => {
      expect((await nodes(`NODE_OPTIONS="${GRANT}"\nsh -c 'node a.js'\nexport NODE_OPTIONS\nsh -c 'node b.js'\n`)).runs).toEqual(['2:off', '4:on ["/srv"]']);
      expect((await nodes(`${X}\nenv -u NODE_OPTIONS sh -c 'node a.js'\n`)).runs).toEqual(['2:off']);
    });
  });
});
