/**
 * Sources for file kinds beyond the core four (deno.json, package.json, shell, shebang).
 * Each registers here under the FileKind that discovery gives its files.
 * A source module must load heavy parsers lazily (inside `parse`), not at import time.
 */
import type { FileKind } from '../discover.js';
import type { Source } from './types.js';
import { typescriptSource } from './typescript/index.js';
import { dockerfileSource } from './dockerfile.js';
import { kubernetesSource } from './kubernetes.js';
import { composeSource } from './compose.js';
import { githubActionsSource } from './github-actions.js';
import { makefileSource } from './makefile.js';
import { systemdSource } from './systemd.js';
import { versionPinSource } from './version-pins.js';

export const EXTRA_SOURCES: Partial<Record<FileKind, Source>> = {
  typescript: typescriptSource,
  dockerfile: dockerfileSource,
  kubernetes: kubernetesSource,
  yaml: kubernetesSource, // Kubernetes by content: the source checks `apiVersion:` + `kind:` first
  compose: composeSource,
  'github-actions': githubActionsSource,
  makefile: makefileSource,
  systemd: systemdSource,
  'version-pin': versionPinSource,
};
