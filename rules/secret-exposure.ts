import type { PermissionGrant } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe, fullyDenied, ownGrants, subjects, type Subject } from '../src/rule-util.js';
import {
  CREDENTIAL_PLACES,
  baseName,
  covers,
  envFamiliesReached,
  grantExample,
  isDotenvName,
  isTrustedPath,
  knownEnv,
  repoPath,
  resolvePath,
  showPath,
  subjectBase,
  trustedPaths,
  type ResolvedPath,
} from '../src/semantics/paths.js';

/** Denied or ignored paths of a subject (every grant, own or from a set), each resolved against its own base. */
function exclusions(s: Subject, kind: 'read' | 'write'): ResolvedPath[] {
  const base = subjectBase(s);
  return s.permissions
    .filter((g) => g.kind === kind && (g.mode === 'deny' || g.mode === 'ignore') && g.scope !== 'all')
    .flatMap((g) => (g.scope as { value: string }[]).flatMap((v) => resolvePath(v.value, base, { runtime: s.runtime }) ?? []));
}

/** A place stays closed when a deny at least as specific as the grant covers it (Deno 2.6+: the more specific wins). */
export function excluded(place: ResolvedPath, grant: ResolvedPath, denies: ResolvedPath[]): boolean {
  return denies.some((d) => covers(d, place) && covers(grant, d));
}

/** Which credential locations a message names first when a grant reaches many. */
const EXAMPLE_ORDER = ['~/.ssh', '~/.aws', '/etc', '/run/secrets', '/var/run/secrets', '/proc'];
function rank(text: string): number {
  const i = EXAMPLE_ORDER.indexOf(text);
  return i < 0 ? EXAMPLE_ORDER.length : i;
}

function suggestion(s: Subject, g: PermissionGrant, reached: { text: string }[]): string {
  const texts = reached.map((r) => r.text);
  if (texts.every((t) => t === '/run/secrets' || t === '/var/run/secrets')) {
    return `grant the one secret it reads (for example \`${grantExample(s, g, `${texts[0]}/db_password`)}\`)`;
  }
  if (texts.every((t) => t.startsWith('.env') || t.includes('/.env'))) {
    return `pass the values it needs as environment variables (for example \`${s.runtime === 'node' ? 'node --env-file=.env' : '--allow-env=DATABASE_URL'}\`) instead of granting the file`;
  }
  return `grant only the files it reads (for example \`${grantExample(s, g, './data')}\`)`;
}

export const secretExposure: Rule = {
  meta: {
    id: 'secret-exposure',
    level: 'error',
    severity: 7.5,
    category: 'grant',
    description: 'Read or env access that reaches credentials (/, ~, /etc, /proc, ~/.ssh, /run/secrets, .env files, AWS_* …)',
  },
  check({ model, trusted }) {
    const out: RuleFinding[] = [];
    const trustedP = trustedPaths(trusted.paths);
    const secretFiles = (model.secretFiles ?? []).map((f) => ({ path: repoPath(f), text: f, why: 'a dotenv file in the repository' }));
    for (const s of subjects(model)) {
      const base = subjectBase(s);
      const env = knownEnv(s);
      let denies: ResolvedPath[] | undefined;
      for (const g of ownGrants(s)) {
        if (g.mode !== 'allow' || g.scope === 'all') continue;
        if (g.kind === 'read' && !fullyDenied(s, 'read')) {
          for (const v of g.scope) {
            const p = resolvePath(v.value, base, { runtime: s.runtime, env });
            if (!p || isTrustedPath(p, trustedP)) continue;
            denies ??= exclusions(s, 'read');
            const reached: { text: string; why: string }[] = [];
            for (const c of [...CREDENTIAL_PLACES, ...secretFiles]) {
              if (covers(p, c.path) && !isTrustedPath(c.path, trustedP) && !excluded(c.path, p, denies)) reached.push({ text: c.text, why: c.why });
            }
            if (p.star === undefined && isDotenvName(baseName(p)) && !reached.some((r) => r.text === showPath(p))) {
              reached.push({ text: showPath(p), why: 'a dotenv file, which holds the secrets of the environment it configures' });
            }
            if (reached.length === 0) continue;
            const first = reached[0]!;
            const rest = reached.slice(1).sort((a, b) => rank(a.text) - rank(b.text));
            const examples = rest.slice(0, 3).map((r) => `\`${r.text}\``);
            const more = examples.length ? `, including ${examples.join(', ')}${rest.length > examples.length ? ` and ${rest.length - examples.length} more credential locations` : ''}` : '';
            const covering = first.text === showPath(p) ? '' : ` covers \`${first.text}\` and`;
            out.push({
              span: v.span,
              subject: s,
              kind: 'read',
              message: `\`${v.value}\` in \`${g.text}\`${covering} lets ${describe(s)} read ${first.why}${more}; ${suggestion(s, g, reached)}`,
            });
          }
        }
        if (g.kind === 'env' && s.runtime === 'deno' && !fullyDenied(s, 'env')) {
          for (const v of g.scope) {
            const fams = envFamiliesReached(v.value);
            if (fams.length === 0) continue;
            const famText = fams.map((f) => `\`${f}*\``).join(', ');
            out.push({
              span: v.span,
              subject: s,
              kind: 'env',
              message: `\`${v.value}\` in \`${g.text}\` lets ${describe(s)} read every variable of the credential famil${fams.length > 1 ? 'ies' : 'y'} ${famText} (secret keys and tokens included); name the variables it needs (for example \`${grantExample(s, g, fams[0] === 'AWS_' ? 'AWS_REGION' : `${fams[0]}REGION`)}\`)`,
            });
          }
        }
      }
    }
    return out;
  },
};
