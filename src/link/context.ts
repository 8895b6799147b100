/** How strong a context is: what a deployment runs outranks what an image build runs, then CI, development and tests. */
import type { ContextKind } from '../model.js';

export const RANK: Record<ContextKind, number> = { test: 0, development: 1, ci: 2, build: 3, deployment: 4 };
