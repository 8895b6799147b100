/**
 * Every source module, registered in one place. A module is one file kind from discovery to
 * facts (see the `Source` contract in ./types.ts and docs/contributing-sources.md): discovery
 * asks this registry for a file's kind, the scan asks it for the module that reads a kind, and
 * suppressions ask it for the kind's comment syntax.
 *
 * Order matters: the first module whose name pattern matches claims the file (specific YAML
 * kinds before the generic Kubernetes candidate), and content sniffs run in order for files no
 * name matched. A source module must load heavy parsers lazily (inside `parse`), never at import.
 */
import type { SourceKind } from '../model.js';
import type { CommentStyle, Source } from './types.js';
import { denoJsonSource } from './deno-json.js';
import { packageJsonSource } from './package-json.js';
import { nodeConfigSource } from './node-config.js';
import { shebangSource, shellSource } from './shell-script.js';
import { typescriptSource } from './typescript/index.js';
import { dockerfileSource } from './dockerfile.js';
import { kubernetesSource } from './kubernetes.js';
import { composeSource } from './compose.js';
import { githubActionsSource } from './github-actions.js';
import { makefileSource } from './makefile.js';
import { systemdSource } from './systemd.js';
import { versionPinSource } from './version-pins.js';
import { gitlabCiSource } from './gitlab-ci.js';
import { procfileSource } from './procfile.js';
import { pm2Source } from './pm2.js';
import { vscodeSource } from './vscode.js';
import { devcontainerSource } from './devcontainer.js';
import { jenkinsfileSource } from './jenkinsfile.js';
import { circleciSource } from './circleci.js';
import { bitbucketSource } from './bitbucket.js';
import { azurePipelinesSource } from './azure-pipelines.js';
import { droneSource } from './drone.js';
import { supervisordSource } from './supervisord.js';
import { appEngineSource } from './app-engine.js';
import { taskfileSource } from './taskfile.js';
import { justfileSource } from './justfile.js';
import { nxSource } from './nx.js';
import { turboSource } from './turbo.js';
import { helmSource } from './helm.js';
import { runitSource } from './runit.js';
import { openrcSource } from './openrc.js';
import { serverlessSource } from './serverless.js';
import { flySource, netlifySource, nixpacksSource, railwaySource, renderSource } from './platforms.js';

export const SOURCES: readonly Source[] = [
  denoJsonSource,
  packageJsonSource,
  nodeConfigSource,
  shellSource,
  dockerfileSource,
  composeSource,
  githubActionsSource,
  makefileSource,
  systemdSource,
  versionPinSource,
  gitlabCiSource,
  circleciSource,
  bitbucketSource,
  azurePipelinesSource,
  droneSource,
  flySource,
  nixpacksSource,
  railwaySource,
  netlifySource,
  renderSource,
  supervisordSource,
  runitSource,
  serverlessSource,
  appEngineSource,
  taskfileSource,
  justfileSource,
  nxSource,
  turboSource,
  procfileSource,
  vscodeSource,
  devcontainerSource,
  jenkinsfileSource,
  pm2Source, // before the JS/TS sniff: an ecosystem file is a config, not code
  helmSource, // chart templates: `{{ … }}` masked, then read as manifests
  kubernetesSource, // any other YAML: last among the name patterns
  openrcSource, // content sniffs: `#!/sbin/openrc-run` before any other `#!`,
  shebangSource, // then `#!`,
  typescriptSource, // then JS/TS by extension (the reader sniffs the text itself)
];

const BY_KIND = new Map<SourceKind, Source>(SOURCES.map((s) => [s.kind, s]));

/** How many bytes of a file the content sniffs see. */
export const SNIFF_BYTES = 512;

/** The module that reads files of `kind`. */
export function sourceFor(kind: string): Source | undefined {
  return BY_KIND.get(kind as SourceKind);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A file's kind by its path alone; undefined = needs a content sniff, or is not ours. */
export function kindByName(path: string): SourceKind | undefined {
  const base = baseOf(path);
  return SOURCES.find((s) => s.matchName?.(path, base))?.kind;
}

/** Whether a folder walk should read the head of a file no name matched (an explicitly named file is always sniffed). */
export function mightSniff(path: string): boolean {
  const base = baseOf(path);
  return SOURCES.some((s) => s.sniff?.names(base));
}

/** A file's kind by the first SNIFF_BYTES of its text, for files no name matched. */
export function kindByContent(head: string, path: string, explicit: boolean): SourceKind | undefined {
  const base = baseOf(path);
  return SOURCES.find((s) => s.sniff && (explicit || s.sniff.names(base)) && s.sniff.content(head, path))?.kind;
}

/** Comment syntax of a kind (for suppression directives); `none` for unknown kinds. */
export function commentStyleOf(kind: string | undefined): CommentStyle {
  return (kind !== undefined && BY_KIND.get(kind as SourceKind)?.comments) || 'none';
}
