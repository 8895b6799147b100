/** Once per test run: make sure the real Deno binary is there for the differential tests. */
export default async function setup(): Promise<void> {
  // @ts-expect-error -- a plain .mjs script shared with the scripts folder
  const { denoBinary } = (await import('../scripts/runtimes.mjs')) as { denoBinary: () => string };
  process.env.PERMLINT_DENO_BIN = denoBinary();
}
