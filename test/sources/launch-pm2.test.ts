import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('PM2 ecosystem files (fixtures/launch-pm2)', () => {
  it('reads apps from a static object literal (never evaluated) and from JSON: interpreter, interpreter_args/node_args, script, args, env', async () => {
    const { findings, model } = await lintFixture('launch-pm2');
    expect(brief(findings)).toEqual([
      'unscoped-grant ecosystem.config.js:5:28 warning', // node_args of an app held in a const
      'allow-all ecosystem.config.js:15:30 error', // interpreter: deno, interpreter_args: run --allow-all
      'unscoped-grant ecosystem.config.js:20:22 warning', // script: deno, interpreter: none, args list
      'allow-all ecosystem.json:3:96 error',
    ]);
    const legacy = model.invocations.find((i) => i.origin.name === 'legacy')!;
    expect(legacy.runtime).toBe('node');
    expect(legacy.entrypoint?.value).toBe('./server.js');
    expect(legacy.context.kind).toBe('deployment');
    expect(model.env.filter((e) => e.origin.source === 'pm2').map((e) => `${e.name}=${e.value.value}`)).toEqual(['NODE_ENV=production']);
    // the scoped app is silent
    expect(findings.some((f) => f.span.line >= 25 && f.span.line <= 29 && f.span.file === 'ecosystem.config.js')).toBe(false);
  });
});
