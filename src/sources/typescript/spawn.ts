/**
 * Runtimes started from code: `new Deno.Command(cmd, { args, env })` and `node:child_process`
 * `spawn` / `spawnSync` / `execFile` / `execFileSync` (argv arrays), `fork` (`execArgv` + module),
 * `exec` / `execSync` (shell strings). Argv goes through the same grammars as every other
 * invocation (`analyzeCommand`); shell strings through `addShellText`.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { EnvSetting, InvocationContext, Model, Origin, Token } from '../../model.js';
import { analyzeCommand, shellCommandString, unwrap } from '../../grammar/command.js';
import { MappedText } from '../../text.js';
import { addArgv, addShellText } from '../commands.js';
import type { ScanContext } from '../types.js';
import { memberName, unwrapTs } from './resolve.js';
import { endOf, evalValue, shortText, spanOf, startOf, textOf, type Ctx, type Val } from './values.js';

export type SpawnKind = 'Deno.Command' | 'Deno.run' | 'spawn' | 'spawnSync' | 'execFile' | 'execFileSync' | 'fork' | 'exec' | 'execSync';
export const CHILD_PROCESS_FUNCTIONS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork', 'exec', 'execSync']);

export interface SpawnSite {
  ctx: ScanContext;
  out: Model;
  id: string;
  context: InvocationContext;
}

/** A word of argv: a literal, or a dynamic word that says what is unknown. */
function tokenOf(c: Ctx, v: Val): Token {
  if (v.t === 'str') return { value: v.value, span: v.span };
  if (v.t === 'num' || v.t === 'bool') return { value: String(v.value), span: v.span };
  if (v.t === 'unknown' && v.template !== undefined) return { value: v.template, span: v.span, dynamic: [v.why] };
  const expr = v.text.replace(/[{}\s]+/g, ' ').trim() || '…';
  return { value: `\${${expr.length > 40 ? `${expr.slice(0, 39)}…` : expr}}`, span: v.span, dynamic: [v.t === 'unknown' ? v.why : { kind: 'ts-not-string', text: v.text }] };
}

function wordsOf(c: Ctx, v: Val | undefined): Token[] {
  if (!v || v.t === 'nullish') return [];
  if (v.t === 'arr') return v.items.map((i) => tokenOf(c, i));
  return [tokenOf(c, v)];
}

/** The program word: a literal, `Deno.execPath()` (deno), `process.execPath` (node). */
function programOf(c: Ctx, e: TSESTree.Node): Token | undefined {
  const n = unwrapTs(e);
  const span = spanOf(c, n);
  if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && memberName(n.callee) === 'execPath' && n.callee.object.type === 'Identifier' && n.callee.object.name === 'Deno' && !c.r.declares('Deno')) {
    return { value: 'deno', span };
  }
  if (n.type === 'MemberExpression' && memberName(n) === 'execPath' && n.object.type === 'Identifier' && n.object.name === 'process' && !c.r.declares('process')) {
    return { value: 'node', span };
  }
  const v = evalValue(c, n);
  return v.t === 'str' ? { value: v.value, span: v.span } : undefined;
}

function envOf(c: Ctx, v: Val | undefined, origin: Origin, context: InvocationContext): EnvSetting[] {
  if (!v || v.t !== 'obj') return [];
  const out: EnvSetting[] = [];
  for (const [name, p] of v.props) {
    if (p.value.t === 'str') out.push({ name, value: { value: p.value.value, span: p.value.span }, span: p.span, origin, context });
  }
  return out;
}

function commit(c: Ctx, argv: Token[], env: EnvSetting[], origin: Origin, site: SpawnSite): void {
  if (shellCommandString(unwrap(argv).argv)) {
    // spawn('sh', ['-c', 'deno run -A main.ts']): the string is a shell script
    site.out.env.push(...env);
    addArgv(argv, { origin, context: site.context, id: site.id }, { ...site.ctx, model: site.out }, env);
    return;
  }
  const analyzed = analyzeCommand(argv, { origin, context: site.context, env, id: site.id, resolveSet: site.ctx.resolverFor(site.context.cwd ?? '') });
  if (!analyzed) return;
  site.out.env.push(...env);
  site.out.commands.push(analyzed.command);
  if (analyzed.invocation && !analyzed.invocation.command.dynamic) site.out.invocations.push(analyzed.invocation);
}

function argOf(n: TSESTree.CallExpression | TSESTree.NewExpression, i: number): TSESTree.Node | undefined {
  const a = n.arguments[i];
  return a && a.type !== 'SpreadElement' ? a : undefined;
}

export function spawnCall(c: Ctx, node: TSESTree.CallExpression | TSESTree.NewExpression, kind: SpawnKind, site: SpawnSite): void {
  const origin: Origin = { file: c.file.path, span: spanOf(c, node), source: 'typescript' };
  const first = argOf(node, 0);
  if (!first) return;

  if (kind === 'exec' || kind === 'execSync') {
    const v = evalValue(c, first);
    if (v.t === 'str') {
      addShellText(stringText(c, first, v.value), { origin, context: site.context, id: site.id }, { ...site.ctx, model: site.out });
    }
    return;
  }

  if (kind === 'Deno.run') {
    // the legacy `Deno.run({ cmd: [program, ...args], env })`
    const opts = evalValue(c, first);
    const cmd = opts.t === 'obj' ? opts.props.get('cmd')?.value : undefined;
    if (!cmd || cmd.t !== 'arr' || !cmd.items.length) return;
    const cmdNode = first.type === 'ObjectExpression' ? first.properties.find((p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'cmd') : undefined;
    const programNode = cmdNode?.type === 'Property' && cmdNode.value.type === 'ArrayExpression' ? cmdNode.value.elements[0] : undefined;
    const program = programNode && programNode.type !== 'SpreadElement' ? programOf(c, programNode) : undefined;
    if (!program) return;
    commit(c, [program, ...cmd.items.slice(1).map((i) => tokenOf(c, i))], envOf(c, opts.t === 'obj' ? opts.props.get('env')?.value : undefined, origin, site.context), origin, site);
    return;
  }

  if (kind === 'fork') {
    // fork(modulePath, args?, { execArgv }): node <execArgv> <modulePath> <args>; without execArgv
    // the child inherits the parent's flags, which are not known here
    const second = argOf(node, 1);
    const secondVal = second ? evalValue(c, second) : undefined;
    const args = secondVal?.t === 'obj' ? undefined : secondVal;
    const optsNode = secondVal?.t === 'obj' ? second : argOf(node, 2);
    const opts = optsNode ? evalValue(c, optsNode) : undefined;
    const execArgv = opts?.t === 'obj' ? opts.props.get('execArgv') : undefined;
    if (!execArgv) return;
    const callee = node.callee;
    const word: Token = { value: 'node', span: spanOf(c, callee.type === 'MemberExpression' ? callee.property : callee) };
    const mod = evalValue(c, first);
    commit(c, [word, ...wordsOf(c, execArgv.value), tokenOf(c, mod), ...wordsOf(c, args)], envOf(c, opts?.t === 'obj' ? opts.props.get('env')?.value : undefined, origin, site.context), origin, site);
    return;
  }

  const program = programOf(c, first);
  if (!program) return;
  const second = argOf(node, 1);
  const secondVal = second ? evalValue(c, second) : undefined;
  let args: Val | undefined;
  let opts: Val | undefined;
  if (kind === 'Deno.Command') {
    opts = secondVal;
    args = opts?.t === 'obj' ? opts.props.get('args')?.value : undefined;
    if (opts && opts.t !== 'obj' && opts.t !== 'nullish') args = { t: 'unknown', why: { kind: 'ts-options', text: shortText(c, second!) }, span: opts.span, text: opts.text };
    else if (opts?.t === 'obj' && opts.partial && !opts.props.has('args')) args = { t: 'unknown', why: opts.partial.why, span: opts.partial.span, text: opts.partial.text };
  } else if (secondVal?.t === 'obj') opts = secondVal;
  else {
    args = secondVal;
    const third = argOf(node, 2);
    opts = third ? evalValue(c, third) : undefined;
  }
  const env = envOf(c, opts?.t === 'obj' ? opts.props.get('env')?.value : undefined, origin, site.context);
  commit(c, [program, ...wordsOf(c, args)], env, origin, site);
}

/**
 * dax: `` $`deno run -A ${file}` `` runs the template as a command line (dax's own shell-like
 * parser); each `${…}` is one unknown word, never split.
 */
export function daxTemplate(c: Ctx, node: TSESTree.TaggedTemplateExpression, site: SpawnSite): void {
  const q = node.quasi;
  const placeholder = (k: number) => `\${PERMLINT_DAX_${k}}`;
  let text = '';
  const offsets: number[] = [];
  q.quasis.forEach((part, k) => {
    const [a, b] = [startOf(part), endOf(part)];
    // the quasi's range includes the backtick / `}` before it and `${` / backtick after it
    const start = a + 1;
    const end = b - (part.tail ? 1 : 2);
    const raw = c.file.text.slice(start, end);
    for (let i = 0; i < raw.length; i++) {
      text += raw[i];
      offsets.push(start + i);
    }
    if (!part.tail) {
      const expr = q.expressions[k]!;
      const ph = placeholder(k);
      for (let i = 0; i < ph.length; i++) {
        text += ph[i];
        offsets.push(startOf(expr) + Math.floor((i * (endOf(expr) - startOf(expr))) / ph.length));
      }
    }
  });
  offsets.push(endOf(q) - 1);
  const origin: Origin = { file: c.file.path, span: spanOf(c, node), source: 'typescript' };
  addShellText(
    new MappedText(text, offsets, c.file.index),
    { origin, context: site.context, id: site.id, shell: { describeUnknown: (n) => (n.startsWith('PERMLINT_DAX_') ? { kind: 'template', of: 'dax', exprs: [textOf(c, q.expressions[Number(n.slice('PERMLINT_DAX_'.length))]!)] } : { kind: 'variable', of: 'shell', name: n }) } },
    { ...site.ctx, model: site.out },
  );
}

/** A string literal's characters mapped back to the file (exact when written without escapes). */
function stringText(c: Ctx, n: TSESTree.Node, value: string): MappedText {
  const raw = textOf(c, n);
  if (raw.length === value.length + 2) return MappedText.verbatim(c.file.index, startOf(n) + 1, endOf(n) - 1);
  if (raw.startsWith('"')) return MappedText.jsonString(c.file.index, startOf(n), raw.length);
  const offsets = new Int32Array(value.length + 1).fill(startOf(n));
  offsets[value.length] = endOf(n);
  return new MappedText(value, offsets, c.file.index);
}
