/** NODE_OPTIONS exported on one line of a script reaches the `node` of later lines (shell source + link phase). */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';

async function lastNode(files: Record<string, string>, file = 'run.sh') {
  const { model } = await lint(memoryFs(files));
  const inv = model.invocations.filter((i) => i.runtime === 'node' && i.origin.file === file).pop()!;
  return { on: inv.node?.enabled?.flag ?? null, read: inv.effective.read.allow, at: inv.node?.enabled?.span.line ?? null };
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
});
