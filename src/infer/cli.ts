/**
 * `permlint infer <entrypoint | task>…`: the least-privilege flags for an entrypoint (or for
 * each invocation of a deno.json task / package.json script), a deno.json permission set with
 * the same grants, and for each entry the call sites that need it.
 */
import { existsSync, statSync } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { Inference, Runtime } from '../model.js';
import { nodeFs } from '../fs.js';
import { inferEntrypoint } from './index.js';
import { inferFs } from './fs.js';
import { leastPrivilege, toFlags, toPermissionSet, type LeastPrivilege } from './least.js';

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

const HELP = `Usage: permlint infer <entrypoint | task>… [options]

Reads the code an entrypoint reaches (never runs it) and prints the least-privilege
permission flags, a deno.json permission set with the same grants, and the call sites
behind each grant. A task or script name infers every invocation it runs.

Options:
  --runtime <deno|node>   the runtime of an entrypoint given as a file (default: deno)
  --format <text|json>    output format (default: text)
  --help                  print this help
`;

interface Target {
  label: string;
  runtime: Runtime;
  inference: Inference;
}

export async function runInferCommand(argv: string[], io: Io): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv.slice(1), allowPositionals: true, strict: true, options: { runtime: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    io.stderr(`permlint infer: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.values.help) {
    io.stdout(HELP);
    return 0;
  }
  const format = args.values.format ?? 'text';
  const runtime = (args.values.runtime ?? 'deno') as Runtime;
  if (!['text', 'json'].includes(format) || !['deno', 'node'].includes(runtime) || args.positionals.length === 0) {
    io.stderr(`permlint infer: ${args.positionals.length === 0 ? 'name an entrypoint or a task' : `bad option value`}\n${HELP}`);
    return 2;
  }
  const targets: Target[] = [];
  const fs = inferFs(nodeFs, io.cwd);
  for (const what of args.positionals) {
    const abs = resolve(io.cwd, what);
    if (existsSync(abs) && statSync(abs).isFile()) {
      const rel = relative(io.cwd, abs).split(sep).join('/');
      if (rel.startsWith('..')) {
        io.stderr(`permlint infer: ${what} is outside the current folder\n`);
        return 2;
      }
      const inf = await inferEntrypoint(rel, fs, runtime, '');
      if (!inf) {
        io.stderr(`permlint infer: cannot read ${what}\n`);
        return 2;
      }
      targets.push({ label: rel, runtime, inference: inf });
      continue;
    }
    // a task or script: lint the folder and take the invocations it names
    const { lint } = await import('../lint.js');
    const { RULES } = await import('../../rules/index.js');
    const res = await lint(['.'], { cwd: io.cwd, rules: RULES.filter((r) => r.meta.id === 'over-grant') });
    const invs = res.model.invocations.filter((i) => i.origin.name === what);
    const found = invs.flatMap((inv) => {
      const inf = res.model.inferences?.find((x) => x.subjectId === inv.id);
      return inf ? [{ label: `${inv.origin.file} ${inv.origin.source === 'package.json' ? 'script' : 'task'} \`${what}\``, runtime: inv.runtime, inference: inf }] : [];
    });
    if (!found.length) {
      io.stderr(`permlint infer: ${invs.length ? `\`${what}\` runs no local entrypoint permlint can read` : `no file, task or script named \`${what}\``}\n`);
      return 2;
    }
    targets.push(...found);
  }
  if (format === 'json') {
    io.stdout(`${JSON.stringify(targets.map((t) => toJson(t)), null, 2)}\n`);
    return 0;
  }
  io.stdout(targets.map((t) => toText(t)).join('\n'));
  return 0;
}

function toJson(t: Target) {
  const lp = leastPrivilege(t.inference, t.runtime);
  return {
    target: t.label,
    runtime: t.runtime,
    entrypoint: t.inference.entrypoint,
    modules: t.inference.modules.length,
    flags: toFlags(lp, t.runtime),
    permissionSet: t.runtime === 'deno' ? toPermissionSet(lp) : undefined,
    grants: lp.grants.map((g) => ({
      kind: g.kind,
      scope: g.scope,
      ...(g.why ? { cannotNarrow: g.why } : {}),
      uses: g.needs.map((n) => ({ api: n.api, text: n.text, value: n.value ?? null, file: n.span.file, line: n.span.line, column: n.span.column, ...(n.implicit ? { implicit: n.implicit } : {}), ...(n.guarded ? { guarded: true } : {}) })),
    })),
    unsure: lp.unsure,
  };
}

function toText(t: Target): string {
  const lp: LeastPrivilege = leastPrivilege(t.inference, t.runtime);
  const flags = toFlags(lp, t.runtime);
  const cmd = t.runtime === 'deno' ? `deno run ${[...flags, t.inference.entrypoint].join(' ')}` : `node ${[...flags, t.inference.entrypoint].join(' ')}`;
  const out: string[] = [`${t.label} (${t.inference.modules.length} module${t.inference.modules.length === 1 ? '' : 's'})`, `  ${cmd}`, ''];
  for (const g of lp.grants) {
    const flag = toFlags({ grants: [g], unsure: [] }, t.runtime).filter((f) => f !== '--permission');
    out.push(`  ${flag.join(' ')}`);
    if (g.why) out.push(`    ${g.why}`);
    const seen = new Set<string>();
    for (const n of g.needs) {
      const line = `${n.value === undefined || g.scope === 'all' ? '' : `${n.value}  `}\`${n.text}\` at ${posix.join(n.span.file)}:${n.span.line}${n.implicit ? ` (${n.implicit})` : ''}${n.guarded ? ' (handled)' : ''}`;
      if (seen.has(line)) continue;
      seen.add(line);
      out.push(`      ${line}`);
    }
  }
  if (!lp.grants.length) out.push('  no permission needed');
  if (t.runtime === 'deno' && lp.grants.length) {
    const set = Object.entries(toPermissionSet(lp)).map(([k, v]) => `"${k}": ${JSON.stringify(v).replace(/","/g, '", "')}`);
    out.push('', '  as a deno.json permission set (`deno run -P main.ts`):', '    "permissions": {', '      "default": {', ...set.map((l, i) => `        ${l}${i < set.length - 1 ? ',' : ''}`), '      }', '    }');
  }
  if (lp.unsure.length) {
    out.push('', '  not known statically (these kinds may need more):');
    for (const u of lp.unsure) out.push(`    ${u.kinds === 'all' ? 'any kind' : u.kinds.join(', ')}: ${u.reason} (${u.at})`);
  }
  return `${out.join('\n')}\n`;
}
