import type { SandboxEnvValue } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { isPublicSuffix, parseHost, sharedHostingUnder, wildcardName } from '../src/semantics/hosts.js';

/** Environment names that hold credentials. */
const CREDENTIAL_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|(^|_)KEY$|CREDENTIAL|(^|_)AUTH($|_)|COOKIE|SESSION|(^|_)DSN$|DATABASE_URL|CONNECTION_STRING)/i;

/** Literals with the shape of a well-known credential. */
const TOKEN_SHAPES = [
  /^gh[pousr]_[A-Za-z0-9]{20,}$/,
  /^github_pat_[A-Za-z0-9_]{20,}$/,
  /^glpat-[A-Za-z0-9_-]{20,}$/,
  /^(sk|rk|pk)[-_](live|test|proj|ant)?[-_]?[A-Za-z0-9_-]{16,}$/,
  /^xox[abprs]-[A-Za-z0-9-]{10,}$/,
  /^AKIA[0-9A-Z]{16}$/,
  /^AIza[0-9A-Za-z_-]{30,}$/,
  /^dd[po]_[A-Za-z0-9]{16,}$/,
  /^npm_[A-Za-z0-9]{30,}$/,
  /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

function looksLikeToken(value: string, credentialName: boolean): boolean {
  if (TOKEN_SHAPES.some((re) => re.test(value))) return true;
  // a long random-looking value under a credential name
  return credentialName && value.length >= 20 && /^[A-Za-z0-9_\-+/=.]+$/.test(value) && /[A-Za-z]/.test(value) && /\d/.test(value);
}

function exposure(name: string, v: SandboxEnvValue): string | undefined {
  const credName = CREDENTIAL_NAME.test(name);
  if (v.kind === 'env-read') {
    if (name === '*') return `\`${v.text}\` copies the whole host environment, credentials included,`;
    if (credName || (v.variable !== undefined && CREDENTIAL_NAME.test(v.variable))) return `\`${v.text}\` hands the host's credential`;
    return undefined;
  }
  if (v.kind === 'literal' && looksLikeToken(v.value, credName)) return 'a literal credential is handed';
  return undefined;
}

export const sandboxSecretExposed: Rule = {
  meta: {
    id: 'sandbox-secret-exposed',
    level: 'error',
    severity: 7.5,
    category: 'grant', confidence: 'high',
    description: '@deno/sandbox given a credential as a plain env value instead of through secrets, or secrets for hosts anyone can register',
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const d of model.declarations) {
      const sb = d.sandbox;
      if (d.declaration !== 'sandbox' || !sb) continue;
      for (const e of sb.env) {
        const what = exposure(e.name, e.value);
        if (!what) continue;
        const name = e.name === '*' ? 'API_KEY' : e.name;
        out.push({
          span: e.value.span,
          subject: d,
          message: `${what} to sandbox \`${d.name}\` as a plain \`env\` value, which any code in the sandbox can read and send anywhere; pass it as \`secrets: { ${name}: { hosts: ["api.example.com"], value } }\`, which substitutes it only on requests to those hosts`,
        });
      }
      for (const s of sb.secrets) {
        for (const h of s.hosts) {
          for (const entry of parseHost(h.value) ?? []) {
            const name = wildcardName(entry);
            if (name === undefined) continue;
            const shared = sharedHostingUnder(name);
            const publicSuffix = isPublicSuffix(name);
            if (!shared && !publicSuffix) continue;
            out.push({
              span: h.span,
              subject: d,
              message: `secret \`${s.name}\` of sandbox \`${d.name}\` is substituted on requests to \`${h.value}\`, ${publicSuffix ? `every domain under the public suffix \`.${name}\`` : `where anyone can get a subdomain under \`${shared}\``}, so anyone can receive it; name the exact host that needs it`,
            });
          }
        }
      }
    }
    return out;
  },
};
