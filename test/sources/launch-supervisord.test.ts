import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('supervisord (fixtures/launch-supervisord)', () => {
  it('reads [program:x] command= (continuation lines, inline comments), user=, directory=, environment=', async () => {
    const { findings, model } = await lintFixture('launch-supervisord');
    expect(brief(findings)).toEqual([
      'allow-all supervisor/app.conf:6:27 error',
      'container-privileges supervisor/app.conf:6:27 warning', // user=root is the root evidence
      'unscoped-grant supervisor/app.conf:12:27 warning', // --allow-net, on a command continued on the next line
      'unscoped-grant supervisor/app.conf:18:27 warning',
      'unresolved-value supervisor/app.conf:18:45 note', // %(ENV_APP_DIR)s
    ]);
    const worker = model.invocations.find((i) => i.origin.name === 'worker')!;
    expect(worker.entrypoint?.value).toBe('worker.ts');
    expect(worker.effective.read.allow).toEqual(['./data']);
    expect(model.env.filter((e) => e.origin.source === 'supervisord').map((e) => `${e.name}=${e.value.value}`)).toEqual(['NODE_ENV=production', 'PORT=8080']);
    // the [supervisord] section and `echo deno run -A` are not programs that run a runtime
    expect(model.invocations.map((i) => i.origin.name)).toEqual(['api', 'worker', 'node']);
  });
});
