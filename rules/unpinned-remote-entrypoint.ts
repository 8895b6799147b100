import * as semver from '../src/semver.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe } from '../src/rule-util.js';
import { isTrustedHost, parseHost, trustedHosts } from '../src/semantics/hosts.js';

/** Deno subcommands whose entrypoint is fetched and run (or installed, or compiled in). */
const REMOTE_SUBCOMMANDS = new Set(['run', 'serve', 'x', 'install', 'compile', 'watch', 'desktop']);

export type PinState = { pinned: true } | { pinned: false; why: string; fix: string };

const SHA = /^[0-9a-f]{40}$/i;

/** An exact version (`1.2.3`, `v1.2.3`, `1.2.3-rc.1`) — not a range, not a tag. */
function exactVersion(v: string): boolean {
  return semver.valid(v.startsWith('v') ? v.slice(1) : v) !== null;
}

function versionState(version: string | undefined, name: string, example: (v: string) => string): PinState {
  if (version === undefined || version === '') return { pinned: false, why: 'names no version, so it runs whatever is published last', fix: example('1.2.3') };
  if (exactVersion(version)) return { pinned: true };
  if (semver.validRange(version) !== null) {
    return { pinned: false, why: `asks for the range \`${version}\` of \`${name}\`, so it runs whatever the newest matching release is`, fix: example('1.2.3') };
  }
  return { pinned: false, why: `follows the tag \`${version}\` of \`${name}\`, which moves`, fix: example('1.2.3') };
}

/** `jsr:@scope/pkg@1.2.3/path`, `npm:@scope/pkg@1.2.3/bin`, `npm:pkg`. */
function registrySpecifier(spec: string): PinState | undefined {
  const m = /^(jsr|npm):\/?(.*)$/.exec(spec);
  if (!m) return undefined;
  const scheme = m[1]!;
  const rest = m[2]!;
  const parts = rest.split('/');
  const scoped = rest.startsWith('@');
  const nameAndVersion = scoped ? `${parts[0]}/${parts[1] ?? ''}` : parts[0]!;
  const at = nameAndVersion.indexOf('@', scoped ? 1 : 0);
  const name = at < 0 ? nameAndVersion : nameAndVersion.slice(0, at);
  const version = at < 0 ? undefined : nameAndVersion.slice(at + 1);
  const tail = parts.slice(scoped ? 2 : 1).join('/');
  return versionState(version, `${scheme}:${name}`, (v) => `${scheme}:${name}@${v}${tail ? `/${tail}` : ''}`);
}

/** Whether a URL path pins a version: `@1.2.3` in a segment, a version or commit segment on hosts that put it there. */
function urlState(u: URL, raw: string): PinState {
  const segs = u.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const host = u.hostname.toLowerCase();
  const ref = (i: number) => segs[i];
  const refPinned = (r: string | undefined) => r !== undefined && (SHA.test(r) || exactVersion(r));
  const unpinnedRef = (r: string | undefined): PinState =>
    r ? { pinned: false, why: `follows \`${r}\`, a branch or tag that moves`, fix: raw.replace(`/${r}/`, '/<commit-sha>/') } : { pinned: false, why: 'names no commit', fix: 'a URL with a commit SHA' };
  if (host === 'raw.githubusercontent.com') return refPinned(ref(2)) ? { pinned: true } : unpinnedRef(ref(2));
  if (host === 'github.com' && (segs[2] === 'raw' || segs[2] === 'blob')) return refPinned(ref(3)) ? { pinned: true } : unpinnedRef(ref(3));
  if (host === 'gist.githubusercontent.com') return segs[2] === 'raw' && SHA.test(segs[3] ?? '') ? { pinned: true } : { pinned: false, why: 'serves the latest revision of the gist', fix: `${u.origin}/${segs[0]}/${segs[1]}/raw/<commit-sha>/${segs.slice(segs[2] === 'raw' ? 3 : 2).join('/')}` };
  if (host === 'gitlab.com' && segs.includes('-') && segs[segs.indexOf('-') + 1] === 'raw') {
    const r = segs[segs.indexOf('-') + 2];
    return refPinned(r) ? { pinned: true } : unpinnedRef(r);
  }
  if (host === 'jsr.io' && segs[0]?.startsWith('@')) {
    // https://jsr.io/@scope/name/1.2.3/mod.ts
    const v = segs[2];
    return v && exactVersion(v) ? { pinned: true } : versionState(undefined, `${segs[0]}/${segs[1] ?? ''}`, (x) => `https://jsr.io/${segs[0]}/${segs[1]}/${x}/${segs.slice(2).join('/') || 'mod.ts'}`);
  }
  // `@version` inside a segment: deno.land/x/mod@v1.2.3, deno.land/std@0.224.0, esm.sh/pkg@1.2.3, cdn.jsdelivr.net/npm/pkg@1.2.3, gh/user/repo@sha
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const at = s.lastIndexOf('@');
    if (at <= 0) continue; // `@scope` of a scoped package: the version is on the next segment
    const version = s.slice(at + 1);
    if (SHA.test(version)) return { pinned: true };
    const name = s.slice(0, at);
    return versionState(version, name, (v) => raw.replace(`${s}`, `${name}@${v}`));
  }
  // a plain version segment: https://example.com/tool/1.2.3/cli.ts, /v1.2.3/
  if (segs.some((s) => exactVersion(s) || SHA.test(s))) return { pinned: true };
  const modSeg = host === 'deno.land' ? (segs[0] === 'x' ? 1 : 0) : undefined;
  if (modSeg !== undefined && segs[modSeg]) {
    const name = segs[modSeg]!;
    const before = segs.slice(0, modSeg).map((x) => `${x}/`).join('');
    return versionState(undefined, name, (v) => `${u.origin}/${before}${name}@${v}/${segs.slice(modSeg + 1).join('/')}`);
  }
  return { pinned: false, why: 'names no version, so it runs whatever the server returns on the day it runs', fix: 'a URL that contains an exact version or a commit' };
}

/** Whether a remote entrypoint is pinned; undefined for local files. */
export function pinState(spec: string): PinState | undefined {
  if (/^(jsr|npm):/.test(spec)) return registrySpecifier(spec);
  if (!/^https?:\/\//i.test(spec)) return undefined;
  let u: URL;
  try {
    u = new URL(spec);
  } catch {
    return undefined;
  }
  return urlState(u, spec);
}

export const unpinnedRemoteEntrypoint: Rule = {
  meta: {
    id: 'unpinned-remote-entrypoint',
    level: 'warning',
    severity: 6.5,
    category: 'other', confidence: 'high',
    description: 'A remote entrypoint or `deno install -g` target with no pinned version (deno.land/x without @version, jsr:/npm: without a version, raw URLs on a branch)',
  },
  check({ model, trusted }) {
    const out: RuleFinding[] = [];
    const trust = trustedHosts(trusted.hosts);
    for (const inv of model.invocations) {
      if (inv.runtime !== 'deno' || !REMOTE_SUBCOMMANDS.has(inv.subcommand ?? 'run')) continue;
      const ep = inv.entrypoint;
      if (!ep || ep.dynamic) continue;
      const spec = ep.value;
      if (trusted.programs.some((p) => p !== '' && (spec === p || spec.startsWith(`${p}/`) || spec.startsWith(`${p}@`) || (p.endsWith('/') && spec.startsWith(p))))) continue;
      const state = pinState(spec);
      if (!state || state.pinned) continue;
      if (/^https?:\/\//i.test(spec)) {
        const host = new URL(spec).host;
        const entries = parseHost(host) ?? [];
        if (entries.length > 0 && entries.every((e) => isTrustedHost(e, trust))) continue;
      }
      const installing = inv.subcommand === 'install' ? 'installs' : inv.subcommand === 'compile' ? 'compiles in' : 'runs';
      // rules.md "Where a finding points": rules about a whole invocation point at the runtime's command word
      out.push({
        span: inv.command.span,
        subject: inv,
        related: [{ span: ep.span, message: `the unpinned entrypoint \`${spec}\`` }],
        message: `${describe(inv)} ${installing} \`${spec}\`, which ${state.why}; pin an exact version (\`${state.fix}\`)`,
      });
    }
    return out;
  },
};
