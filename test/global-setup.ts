/**
 * Once per test run. The differential tests install the real runtimes themselves, and only when an
 * answer is missing from test/differential/answers/ (scripts/runtimes.mjs): nothing to do here.
 */
export default function setup(): void {}
