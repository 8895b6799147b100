/**
 * The link phase follows a caller (Dockerfile CMD, compose command, Kubernetes container, CI
 * step) into the script it runs and gives the script's node the caller's NODE_OPTIONS, unless
 * the script decided NODE_OPTIONS itself before that line (exported, unset, branched on it) or
 * `env -u` removed it.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';

const IMAGE = 'FROM node:24.22.3\nWORKDIR /app\nCOPY . .\nUSER node\nENV NODE_OPTIONS="--permission --allow-fs-read=/app"\nCMD ["sh", "start.sh"]\n';

async function nodesOf(files: Record<string, string>) {
  const { model, findings } = await lint(memoryFs(files));
  const invs = model.invocations.filter((i) => i.runtime === 'node' && i.origin.file === 'start.sh');
  return {
    runs: invs.map((i) => `${i.command.span.line}:${i.unresolved.length ? 'unknown' : i.implicitAll ? 'off' : `on ${JSON.stringify(i.effective.read.allow)}`}`),
    kinds: invs.map((i) => i.context.kind),
    findings: findings.filter((f) => f.span.file === 'start.sh').map((f) => `${f.ruleId} ${f.span.line}:${f.span.column} ${f.level}`),
  };
}

describe("a caller's NODE_OPTIONS and what the script it runs does with it", () => {
  it('reaches a node the script leaves it to', async () => {
    const r = await nodesOf({ Dockerfile: IMAGE, 'start.sh': 'node /app/app.js\n' });
    // Node 24.22.3 (the image) reads its entry file implicitly
    expect(r.runs).toEqual(['1:on ["/app","/app/app.js"]']);
    expect(r.kinds).toEqual(['deployment']);
  });

  it('`unset NODE_OPTIONS` in the script: the image value is not applied again (no permission model for that node)', async () => {
    const r = await nodesOf({ Dockerfile: IMAGE, 'start.sh': 'unset NODE_OPTIONS\nnode /app/app.js\n' });
    expect(r.kinds).toEqual(['deployment']);
    expect(r.runs).toEqual(['2:off']);
  });

  it('`env -u NODE_OPTIONS node …` and `env -i node …` in the script', async () => {
    const r = await nodesOf({ Dockerfile: IMAGE, 'start.sh': 'env -u NODE_OPTIONS node /app/a.js\nenv -i node /app/b.js\nnode /app/c.js\n' });
    expect(r.runs).toEqual(['1:off', '2:off', '3:on ["/app","/app/c.js"]']);
  });

  it('the reverse: the image sets nothing and the script exports it', async () => {
    const image = IMAGE.replace(/ENV NODE_OPTIONS=.*\n/, '');
    const r = await nodesOf({ Dockerfile: image, 'start.sh': 'export NODE_OPTIONS="--permission --allow-fs-read=/srv"\nnode /app/app.js\n' });
    expect(r.runs).toEqual(['2:on ["/srv","/app/app.js"]']);
  });

  it('the caller removes it: `CMD ["env", "-u", "NODE_OPTIONS", "sh", "start.sh"]`', async () => {
    const image = IMAGE.replace('CMD ["sh", "start.sh"]', 'CMD ["env", "-u", "NODE_OPTIONS", "sh", "start.sh"]');
    const r = await nodesOf({ Dockerfile: image, 'start.sh': 'node /app/app.js\n' });
    // followed (the image runs it), without the image's NODE_OPTIONS
    expect(r.kinds).toEqual(['deployment']);
    expect(r.runs).toEqual(['1:off']);
  });

  it('unset only in a subshell, or only on one branch', async () => {
    expect((await nodesOf({ Dockerfile: IMAGE, 'start.sh': '( unset NODE_OPTIONS )\nnode /app/app.js\n' })).runs).toEqual(['2:on ["/app","/app/app.js"]']);
    expect((await nodesOf({ Dockerfile: IMAGE, 'start.sh': 'if [ -n "$DEBUG" ]; then unset NODE_OPTIONS; fi\nnode /app/app.js\n' })).runs).toEqual(['2:unknown']);
    // `export NODE_OPTIONS` of what the image set keeps the image's value
    expect((await nodesOf({ Dockerfile: IMAGE, 'start.sh': 'export NODE_OPTIONS\nnode /app/app.js\n' })).runs).toEqual(['2:on ["/app","/app/app.js"]']);
  });

  it('a compose environment and a function called after the unset', async () => {
    const compose = 'services:\n  web:\n    build: .\n    environment:\n      NODE_OPTIONS: "--permission --allow-fs-read=/data"\n    command: ["sh", "start.sh"]\n';
    const script = 'start() { node /app/app.js; }\nunset NODE_OPTIONS\nstart\n';
    expect((await nodesOf({ Dockerfile: IMAGE.replace(/ENV NODE_OPTIONS=.*\n/, ''), 'compose.yaml': compose, 'start.sh': script })).runs).toEqual(['1:off']);
    expect((await nodesOf({ Dockerfile: IMAGE.replace(/ENV NODE_OPTIONS=.*\n/, ''), 'compose.yaml': compose, 'start.sh': 'node /app/app.js\n' })).runs).toEqual(['1:on ["/data","/app/app.js"]']);
  });
});
