import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../rules/index.js';
import { ROOT } from '../helpers.js';

describe('rule catalogue', () => {
  it('every rule has its own rule file, docs page and test file', () => {
    const missing = RULES.map((r) => r.meta.id).flatMap((id) =>
      [`rules/${id}.ts`, `docs/rules/${id}.md`, `test/rules/${id}.test.ts`].filter((p) => !existsSync(resolve(ROOT, p))),
    );
    expect(missing).toEqual([]);
  });
});
