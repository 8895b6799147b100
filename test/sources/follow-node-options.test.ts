import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('NODE_OPTIONS set by a deployment file reaches the node it runs (fixtures/deploy-node-options)', () => {
  it('Dockerfile ENV NODE_OPTIONS + CMD npm start: the start script runs under the permission model', async () => {
    const { findings, model } = await lintFixture('deploy-node-options');
    const start = model.invocations.find((i) => i.origin.name === 'start')!;
    expect(start.context.kind).toBe('deployment');
    expect(start.node?.enabled?.flag).toBe('--permission');
    expect(start.node?.enabled?.span).toMatchObject({ file: 'Dockerfile', line: 2 });
    // node:22.22 reads its entry file without a grant (22.17+), so the effective read list names it too
    expect(start.effective.read.allow).toEqual(['/app', 'server.js']);
    expect(start.implicitAll).toBeUndefined();
    // no container-privileges / model-disabled for start; `dev` (not run by the Dockerfile) still lacks the model
    expect(brief(findings.filter((f) => f.ruleId !== 'vulnerable-runtime'))).toEqual(['invalid-permission package.json:4:18 error']);
  });
});
