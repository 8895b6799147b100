import { describe, expect, it } from 'vitest';
import { emptyModel } from '../../src/model.js';
import { runRules } from '../../src/engine.js';
import { resolveConfig } from '../../src/config.js';
import type { Rule } from '../../src/rule-api.js';

// a rule whose findings depend on its options: it reports every file unless `quiet` lists it
const files = ['a.sh', 'tools/b.sh', 'tools/c.sh'];
const probe: Rule = {
  meta: { id: 'allow-all', level: 'error', severity: 9, category: 'mistake', description: 'probe' },
  check({ options }) {
    const quiet = (options.quiet as string[] | undefined) ?? [];
    return files.filter((f) => !quiet.includes(f)).map((f) => ({ span: { file: f, line: 1, column: 1, endLine: 1, endColumn: 2 }, message: `opts=${JSON.stringify(options)}` }));
  },
};

describe('rule options per file (overrides)', () => {
  it('each file gets the findings of the options that apply to it', () => {
    const cfg = resolveConfig({
      rules: { 'allow-all': ['error', { quiet: ['a.sh'] }] },
      overrides: [{ files: ['tools/**'], rules: { 'allow-all': ['warning', { quiet: ['tools/c.sh'] }] } }],
    });
    const { findings } = runRules(emptyModel(), [probe], cfg.engine);
    expect(findings.map((f) => `${f.span.file} ${f.level} ${f.message}`)).toEqual(['tools/b.sh warning opts={"quiet":["tools/c.sh"]}']);
  });
  it('a rule off at the top level still runs where an override turns it on', () => {
    const cfg = resolveConfig({ rules: { 'allow-all': 'off' }, overrides: [{ files: ['tools/b.sh'], rules: { 'allow-all': 'note' } }] });
    const { findings } = runRules(emptyModel(), [probe], cfg.engine);
    expect(findings.map((f) => `${f.span.file} ${f.level}`)).toEqual(['tools/b.sh note']);
    expect(runRules(emptyModel(), [probe], resolveConfig({ rules: { 'allow-all': 'off' } }).engine).counts).toEqual({});
  });
});
