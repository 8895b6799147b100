import type { Invocation } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { DENO_PERMISSION_FLAGS } from '../src/grammar/permissions.js';
import { NODE_MODEL_FLAGS, NODE_PERMISSION_FLAGS, describeKind } from '../src/grammar/node.js';
import { allVersionsIn, describe, nodeVersionsFor } from '../src/rule-util.js';

/** Node releases without `--permission` (added in 22.13.0 and 23.5.0). */
export const LACKS_PERMISSION = '<22.13.0 || >=23.0.0 <23.5.0';

const SCRIPT = /(\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$)|^(https?:|jsr:|npm:)/;
const DENO_SHORT = /^-[ARWNESIP]+(=|$)/;

function looksLikeDenoPermission(v: string): boolean {
  const name = v.split('=')[0]!;
  return !!DENO_PERMISSION_FLAGS[name] || name === '--allow-all' || name === '--permission-set' || DENO_SHORT.test(v);
}
function looksLikeNodePermission(v: string): boolean {
  const name = `--${v.split('=')[0]!.replace(/^--/, '').replace(/_/g, '-')}`;
  return v.startsWith('--') && (!!NODE_PERMISSION_FLAGS[name] || NODE_MODEL_FLAGS.has(name));
}

const DIAGNOSTIC_CODES = new Set(['boolean-with-value', 'fs-comma-list', 'narrowed-by-repeat', 'removed-flag']);

/** `--allow-net a.com main.ts`: the bare flag's value became the script. */
function valueWithSpace(inv: Invocation): RuleFinding | undefined {
  const ep = inv.entrypoint;
  if (!ep || SCRIPT.test(ep.value) || !inv.programArgs.some((a) => SCRIPT.test(a.value))) return undefined;
  const idx = inv.argv.indexOf(ep);
  const prev = inv.argv[idx - 1];
  if (!prev) return undefined;
  const grant = inv.permissions.find((g) => g.span === prev.span || (g.span.line === prev.span.line && g.span.endColumn === prev.span.endColumn));
  if (!grant || grant.scope !== 'all') return undefined;
  const flag = grant.text;
  const fix = inv.runtime === 'deno' ? `\`${flag}=${ep.value}\`` : grant.kind === 'read' || grant.kind === 'write' ? `\`${flag}=${ep.value}\`` : `no value (Node cannot scope ${describeKind(grant.kind)})`;
  return {
    span: { ...prev.span, endLine: ep.span.endLine, endColumn: ep.span.endColumn },
    subject: inv,
    kind: grant.kind,
    message: `\`${flag} ${ep.value}\`: the runtime takes \`${ep.value}\` as the script to run, and \`${flag}\` grants ${describeKind(grant.kind)} without restriction; write ${fix}`,
  };
}

export const ineffectiveFlag: Rule = {
  meta: {
    id: 'ineffective-flag',
    level: 'error',
    severity: 7.0,
    category: 'mistake',
    description: 'A flag the runtime ignores or reads differently from what it looks like',
    // a mistake outranks its consequence: no grant rule fires on the same flag
    subsumes: [{ category: 'grant', scope: 'span' }],
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      for (const d of inv.diagnostics) {
        if (!DIAGNOSTIC_CODES.has(d.code)) continue;
        out.push({ span: d.span, subject: inv, ...(d.kind ? { kind: d.kind } : {}), message: d.message });
      }
      // a Node permission flag the pinned Node does not have yet (`--allow-net` before 25): `bad option`
      if (inv.runtime === 'node') {
        const versions = nodeVersionsFor(model, inv);
        const model_ = inv.flags.find((f) => f.name === '--permission');
        if (model_ && allVersionsIn(versions, LACKS_PERMISSION)) {
          out.push({
            span: model_.span,
            subject: inv,
            message: `\`--permission\` does not exist before Node 22.13 / 23.5, and this repository pins ${versions.join(', ')}: Node stops with \`bad option\`; write \`--experimental-permission\` there, or upgrade Node`,
          });
        }
        for (const g of inv.permissions) {
          const since = NODE_PERMISSION_FLAGS[g.text.split(/[= ]/)[0]!.replace(/_/g, '-')]?.since;
          if (!since || !allVersionsIn(versions, `<${since}`)) continue;
          out.push({
            span: g.span,
            subject: inv,
            kind: g.kind,
            message: `\`${g.text.split(/[= ]/)[0]}\` does not exist before Node ${since}, and this repository pins ${versions.join(', ')}: Node stops with \`bad option\`${g.kind === 'net' ? ' (and before Node 25 the permission model does not restrict the network at all)' : ''}; upgrade Node or remove the flag`,
          });
        }
      }
      const vs = valueWithSpace(inv);
      if (vs) out.push(vs);
      // flags after the script go to the program
      if (inv.entrypoint && (inv.runtime === 'node' || ['run', 'serve', 'watch', 'compile', 'x', 'desktop'].includes(inv.subcommand ?? ''))) {
        const looks = inv.runtime === 'deno' ? looksLikeDenoPermission : looksLikeNodePermission;
        for (const a of inv.programArgs) {
          if (!looks(a.value)) continue;
          out.push({
            span: a.span,
            subject: inv,
            message: `\`${a.value}\` comes after the script \`${inv.entrypoint.value}\`, so it is passed to the program and the runtime never sees it; move it before the script in ${describe(inv)}`,
          });
        }
      }
      // `deno run --lock main.ts`: --lock takes the next word as the lock file
      const lock = inv.flags.find((f) => f.name === '--lock' && f.value && SCRIPT.test(f.value));
      if (lock && inv.runtime === 'deno' && !inv.entrypoint) {
        out.push({ span: lock.span, subject: inv, message: `\`${lock.text}\`: \`--lock\` takes \`${lock.value}\` as the lock file, so there is no script to run; write \`--lock=deno.lock ${lock.value}\`` });
      }
    }
    return out;
  },
};

