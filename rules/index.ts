/** Every rule, in catalogue order. */
import type { Rule } from '../src/rule-api.js';
import { allowAll } from './allow-all.js';
import { omittedPermissions } from './omitted-permissions.js';
import { unscopedGrant } from './unscoped-grant.js';
import { subprocessEscalation } from './subprocess-escalation.js';
import { ffiGrant } from './ffi-grant.js';
import { unrestrictedImport } from './unrestricted-import.js';
import { lifecycleScripts } from './lifecycle-scripts.js';
import { secretExposure } from './secret-exposure.js';
import { selfModification } from './self-modification.js';
import { sensitiveNetwork } from './sensitive-network.js';
import { wildcardHost } from './wildcard-host.js';
import { unsandboxedRuntime } from './unsandboxed-runtime.js';
import { permissionModelDisabled } from './permission-model-disabled.js';
import { ineffectiveFlag } from './ineffective-flag.js';
import { invalidPermission } from './invalid-permission.js';
import { deprecatedFlag } from './deprecated-flag.js';
import { insecureTls } from './insecure-tls.js';
import { unfrozenLockfile } from './unfrozen-lockfile.js';
import { unpinnedRemoteEntrypoint } from './unpinned-remote-entrypoint.js';
import { vulnerableRuntime } from './vulnerable-runtime.js';
import { containerPrivileges } from './container-privileges.js';
import { sandboxNetworkUnrestricted } from './sandbox-network-unrestricted.js';
import { sandboxSecretExposed } from './sandbox-secret-exposed.js';
import { missingTimeout } from './missing-timeout.js';
import { parseError } from './parse-error.js';
import { unresolvedValue } from './unresolved-value.js';
import { overGrant } from './over-grant.js';
import { underGrant } from './under-grant.js';

export const RULES: Rule[] = [
  // A. how much is granted
  allowAll,
  omittedPermissions,
  unscopedGrant,
  subprocessEscalation,
  ffiGrant,
  unrestrictedImport,
  lifecycleScripts,
  // B. grants that reach dangerous places
  secretExposure,
  selfModification,
  sensitiveNetwork,
  wildcardHost,
  // C. permissions that do not do what they say
  unsandboxedRuntime,
  permissionModelDisabled,
  ineffectiveFlag,
  invalidPermission,
  deprecatedFlag,
  insecureTls,
  // D. what code runs
  unfrozenLockfile,
  unpinnedRemoteEntrypoint,
  vulnerableRuntime,
  // E. layers around the runtime
  containerPrivileges,
  sandboxNetworkUnrestricted,
  sandboxSecretExposed,
  missingTimeout,
  // F. facts about the engine
  parseError,
  unresolvedValue,
  // G. inferred from the code
  overGrant,
  underGrant,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
