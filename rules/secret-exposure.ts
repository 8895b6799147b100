import type { PermissionGrant } from '../src/model.js';
import { queryDeno } from '../src/grammar/query.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe, ownGrants, subjects, type Subject } from '../src/rule-util.js';
import {
  CREDENTIAL_PLACES,
  baseName,
  envFamiliesReached,
  grantExample,
  isDotenvName,
  isTrustedPath,
  knownEnv,
  reachesPlace,
  repoPath,
  resolvePath,
  showPath,
  subjectBase,
  trustedPaths,
  type ResolvedPath,
} from '../src/semantics/paths.js';

/** Denied and ignored paths of a subject (every grant, own or from a set), each resolved against its own base; `'all'` for a bare flag. */
function exclusions(s: Subject, kind: 'read' | 'write'): { deny: ResolvedPath[] | 'all'; ignore: ResolvedPath[] | 'all' } {
  const base = subjectBase(s);
  const of = (mode: 'deny' | 'ignore'): ResolvedPath[] | 'all' => {
    const gs = s.permissions.filter((g) => g.kind === kind && g.mode === mode);
    const listed = gs.flatMap((g) => (g.scope === 'all' ? [] : g.scope.flatMap((v) => resolvePath(v.value, base, { runtime: s.runtime }) ?? [])));
    return listed.length === 0 && gs.some((g) => g.scope === 'all') ? 'all' : listed;
  };
  return { deny: of('deny'), ignore: of('ignore') };
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
    category: 'grant', confidence: 'medium',
    description: 'Read or env access that reaches credentials (/, ~, /etc, /proc, ~/.ssh, /run/secrets, .env files, AWS_* …)',
  },
  check({ model, trusted }) {
    const out: RuleFinding[] = [];
    const trustedP = trustedPaths(trusted.paths);
    const secretFiles = (model.secretFiles ?? []).map((f) => ({ path: repoPath(f), text: f, why: 'a dotenv file in the repository', secret: true }));
    for (const s of subjects(model)) {
      const base = subjectBase(s);
      const env = knownEnv(s);
      let excl: ReturnType<typeof exclusions> | undefined;
      for (const g of ownGrants(s)) {
        if (g.mode !== 'allow' || g.scope === 'all') continue;
        if (g.kind === 'read') {
          for (const v of g.scope) {
            const p = resolvePath(v.value, base, { runtime: s.runtime, env });
            if (!p || isTrustedPath(p, trustedP)) continue;
            excl ??= s.runtime === 'deno' ? exclusions(s, 'read') : { deny: [], ignore: [] };
            const reached: { text: string; why: string; inside: boolean }[] = [];
            for (const c of [...CREDENTIAL_PLACES, ...secretFiles]) {
              const hit = reachesPlace(s.runtime, p, c, excl);
              if (hit && !isTrustedPath(hit.place, trustedP)) reached.push({ text: showPath(hit.place), why: c.why, inside: hit.inside });
            }
            if (p.star === undefined && isDotenvName(baseName(p)) && !reached.some((r) => r.text === showPath(p))) {
              reached.push({ text: showPath(p), why: 'a dotenv file, which holds the secrets of the environment it configures', inside: false });
            }
            if (reached.length === 0) continue;
            const first = reached[0]!;
            const rest = reached.slice(1).sort((a, b) => rank(a.text) - rank(b.text));
            const examples = rest.slice(0, 3).map((r) => `\`${r.text}\``);
            const more = examples.length ? `, including ${examples.join(', ')}${rest.length > examples.length ? ` and ${rest.length - examples.length} more credential locations` : ''}` : '';
            const covering = first.text === showPath(p) ? '' : first.inside ? ` lies inside \`${first.text}\`, so it` : ` covers \`${first.text}\` and`;
            out.push({
              span: v.span,
              subject: s,
              kind: 'read',
              message: `\`${v.value}\` in \`${g.text}\`${covering} lets ${describe(s)} read ${first.why}${more}; ${suggestion(s, g, reached)}`,
            });
          }
        }
        if (g.kind === 'env' && s.runtime === 'deno') {
          for (const v of g.scope) {
            // a family stays closed when the runtime denies a name in it (`--deny-env=AWS_*` as specific as the grant)
            const fams = envFamiliesReached(v.value).filter((f) => queryDeno(s.effective, { name: 'env', variable: `${f}\u27e8any\u27e9` }, '/') === 'granted');
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
