/** Lazy access to the real runtimes (scripts/runtimes.mjs installs them into .cache/runtimes on first use). */
interface Runtimes {
  denoBinary: () => string;
  deno1Binary: () => string;
  DENO1_VERSION: string;
  nodeBinary: (version: string) => string;
  DENO_VERSION: string;
  NODE_VERSIONS: string[];
}

export async function runtimes(): Promise<Runtimes> {
  // @ts-expect-error -- a plain .mjs script shared with the scripts folder
  return (await import('../../scripts/runtimes.mjs')) as Runtimes;
}
