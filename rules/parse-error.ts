import type { Rule } from '../src/rule-api.js';
import { problemMessage } from '../src/messages/problems.js';

export const parseError: Rule = {
  meta: { id: 'parse-error', level: 'error', severity: 1.0, category: 'mistake', confidence: 'high', description: 'A file permlint reads could not be parsed' },
  check({ model }) {
    return model.problems.map((p) => ({ span: p.span, message: problemMessage(p) }));
  },
};
