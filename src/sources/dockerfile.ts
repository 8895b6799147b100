/**
 * Dockerfiles (`Dockerfile`, `Dockerfile.*`, `Dockerfile-*`, `Dockerfile_*`, `*.Dockerfile`,
 * `Containerfile*`, or any file named explicitly whose first instruction is FROM) read with
 * dockerfile-ast: `RUN`, `CMD` and `ENTRYPOINT` in exec form (argv straight to the grammar)
 * and shell form (through the shell parser, continuations and comment lines handled), the
 * `ENTRYPOINT` + `CMD` combination (`ENTRYPOINT []` / `CMD []` reset), `HEALTHCHECK CMD`,
 * `ONBUILD` triggers, `SHELL` (a non-POSIX shell gets the text as its last word), the files
 * `COPY` puts in the image (so a script it runs is followed), heredocs, `ENV` (NODE_OPTIONS reaches node, and every
 * setting reaches `model.env`), `ARG` substitution where the default is literal, `USER`,
 * `WORKDIR` and the image of `FROM` per stage of a multi-stage build.
 *
 * dockerfile-ast is loaded on first use only.
 */
import { createRequire } from 'node:module';
import type { DynamicReason, ContainerContext, ContainerUser, EnvSetting, InvocationContext, Origin, RuntimePin, Span, Token } from '../model.js';
import { parseTree } from 'jsonc-parser';
import { MappedText } from '../text.js';
import { addShellText, commandBudgetSpent } from './commands.js';
import { MAX_NESTING, jsonTooDeep } from './nesting.js';
import { runContainer } from './kubernetes.js';
import { addPin, imagePin } from './version-pins.js';
import { dirOf, joinPath, type ScanContext, type SourceFile } from './types.js';
import { head } from './registry.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- dockerfile-ast classes are used through a lazily required module */
type DfModule = { DockerfileParser: { parse(text: string): any } };
let dfModule: DfModule | undefined;
function dockerfileAst(): DfModule {
  if (!dfModule) dfModule = createRequire(import.meta.url)('dockerfile-ast') as DfModule;
  return dfModule;
}

interface Pos {
  line: number;
  character: number;
}
interface Range {
  start: Pos;
  end: Pos;
}

interface Stage {
  name?: string;
  index: number;
  fromSpan: Span;
  image?: Token;
  pin?: RuntimePin;
  user?: ContainerUser;
  env: EnvSetting[];
  vars: Map<string, string>;
  unknownVars: Set<string>;
  workdir: string;
  /** Container folder → repo folder, from `COPY . <dest>`. */
  copies: { dest: string; repo: string }[];
  /** `line`: the file line where the instruction's parsed chunk starts (see `instructionCuts`). */
  cmd?: { inst: any; form: 'exec' | 'shell'; line: number };
  entrypoint?: { inst: any; form: 'exec' | 'shell'; line: number };
  /** `HEALTHCHECK CMD …` (inherited by stages built on this one; `HEALTHCHECK NONE` clears it). */
  healthcheck?: { inst: any; line: number };
  /** Container paths that hold repository files (`COPY start.sh /usr/local/bin/`), for following a script the image runs. */
  files: { path: string; repo: string }[];
  /** `SHELL [...]` words when the shell is not a POSIX shell: shell-form commands run as `<words> "<text>"`. */
  shellWords?: Token[];
  /** The context of its RUN instructions until USER, WORKDIR, COPY or ADD changes it: one object, not one per RUN. */
  runContext?: InvocationContext;
  /** A later stage builds FROM this one. */
  parent: boolean;
  shellForm: boolean;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/**
 * Stages per file, and ENV settings and COPY/ADD sources per stage, read at most. Each is a list
 * the next instruction of its kind looks through (and a stage built FROM another copies), so a
 * 2 MiB file of 200,000 `ENV`s was quadratic; real Dockerfiles have tens. Past one, one
 * `parse-error` says which, and the rest of the file is not read.
 */
export const MAX_DOCKERFILE_LIST = 1000;

/**
 * Characters of Dockerfile text given to dockerfile-ast at once (its object model is ~40× the
 * text). A test sets it to 1 to hold chunked reading to the whole-file reading.
 */
export const dockerfileChunking = { chars: 128 * 1024 };

/**
 * Where a large Dockerfile may be cut so that dockerfile-ast parses it a chunk at a time (the
 * whole 2 MiB file's object model held at once peaked at 170 MB): offsets of line starts, each
 * the start of an instruction at column 0 whose previous instruction line does not end in a
 * continuation, at least `size` characters apart, then the end of the text. A file with an
 * `escape` parser directive is not cut. A cut inside a here-document (not tracked here) shows
 * as a chunk whose last instruction runs to the chunk's end; the parse then takes the rest of
 * the file whole (see `parse`).
 */
export function instructionCuts(text: string, size = dockerfileChunking.chars): number[] {
  const cuts = [0];
  if (text.length > size && !/^[ \t]*#[ \t]*escape[ \t]*=/im.test(text.slice(0, 4096))) {
    let continued = false;
    let last = 0;
    for (let ls = 0; ls < text.length; ) {
      let le = text.indexOf('\n', ls);
      if (le < 0) le = text.length;
      const c = text.charCodeAt(ls);
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
      if (letter && !continued && ls - last >= size) cuts.push((last = ls));
      // blank and comment lines leave a continuation open; any other line ends one or starts one
      const line = text.slice(ls, le);
      const t = line.trim();
      if (t !== '' && !t.startsWith('#')) continued = /\\[ \t\r]*$/.test(line);
      ls = le + 1;
    }
  }
  cuts.push(text.length);
  return cuts;
}

/** A path inside the container: absolute, relative ones taken from the current WORKDIR. */
function containerPath(workdir: string, rel: string): string {
  return `/${joinPath(rel.startsWith('/') ? '' : workdir, rel)}`;
}

export const dockerfileSource = {
  ...head('dockerfile'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const starts = lineStarts(file.text);
    /** The file line where the chunk being read starts: dockerfile-ast positions are relative to it. */
    let chunkLine = 0;
    const within = <T>(b: number, f: () => T): T => {
      const saved = chunkLine;
      chunkLine = b;
      try {
        return f();
      } finally {
        chunkLine = saved;
      }
    };
    const off = (p: Pos) => (starts[chunkLine + p.line] ?? file.text.length) + p.character;
    const span = (r: Range | null | undefined): Span => (r ? file.index.span(off(r.start), off(r.end)) : file.index.span(0, 0));
    const kind = ctx.contextFor(file.path, 'deployment');
    const dir = dirOf(file.path);
    const globalArgs = new Map<string, string>();
    const stages: Stage[] = [];
    /** Stages by name (lower case), the first of each name: what `FROM <name>` builds on. */
    const byName = new Map<string, Stage>();
    const overBudget = (list: 'stages' | 'stage-env' | 'stage-sources', at: Span) =>
      ctx.model.problems.push({ file: file.path, span: at, code: 'list-budget', list, limit: MAX_DOCKERFILE_LIST, source: 'dockerfile' });
    let stage: Stage | undefined;
    let runCount = 0;
    let onbuildCount = 0;

    const substitute = (text: string, vars: Map<string, string>): { value: string; unknown: DynamicReason[] } => {
      const unknown: DynamicReason[] = [];
      const value = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a: string | undefined, b: string | undefined) => {
        const name = (a ?? b)!;
        const v = vars.get(name);
        if (v === undefined) {
          unknown.push({ kind: 'variable', of: 'dockerfile', name });
          return m;
        }
        return v;
      });
      return { value, unknown };
    };

    const repoDir = (s: Stage): string => {
      // the repo folder the container's working directory holds, when `COPY . <dest>` says so
      const wd = s.workdir;
      let best: { dest: string; repo: string } | undefined;
      for (const c of s.copies) if ((wd === c.dest || wd.startsWith(c.dest === '/' ? '/' : `${c.dest}/`)) && (!best || c.dest.length > best.dest.length)) best = c;
      if (!best) return dir;
      const rest = wd.slice(best.dest.length).replace(/^\//, '');
      return [best.repo, rest].filter(Boolean).join('/');
    };

    const contextOf = (s: Stage, runtimeCommand: boolean, isFinal: boolean): InvocationContext => {
      // RUN instructions share one context per stage until USER, WORKDIR, COPY or ADD changes it
      const forRun = !runtimeCommand && !isFinal;
      if (forRun && s.runContext) return s.runContext;
      const container: ContainerContext = { platform: 'docker' };
      if (s.user) container.user = s.user;
      else if (runtimeCommand && isFinal) container.imageDefaultUser = { span: s.fromSpan, file: file.path };
      if (s.workdir !== '/') container.workdir = s.workdir;
      if (s.files.length) container.files = s.files;
      // a build step (`RUN`) runs while the image is built, not in the deployed container (unless the config placed the file)
      const c: InvocationContext = { kind: !runtimeCommand && kind === 'deployment' ? 'build' : kind, cwd: repoDir(s), container };
      if (s.pin) c.runtimeVersion = { value: s.pin.text, span: s.pin.span };
      if (forRun) s.runContext = c;
      return c;
    };

    /** The shell-form text of an instruction, with Dockerfile comment lines inside continuations left out. */
    const shellText = (inst: any): MappedText | undefined => {
      const r: Range | null = inst.getArgumentsRange();
      if (!r) return undefined;
      const a = off(r.start);
      const b = off(r.end);
      const raw = file.text.slice(a, b);
      let text = '';
      const offsets: number[] = [];
      let i = 0;
      let lineStart = true;
      while (i < raw.length) {
        if (lineStart && i > 0) {
          // a comment line or an empty line inside a continuation: Docker drops it
          let k = i;
          while (k < raw.length && (raw[k] === ' ' || raw[k] === '\t')) k++;
          if (raw[k] === '#' || raw[k] === '\n' || raw[k] === '\r') {
            while (k < raw.length && raw[k] !== '\n') k++;
            i = k + 1;
            continue;
          }
        }
        const ch = raw[i]!;
        text += ch;
        offsets.push(a + i);
        lineStart = ch === '\n';
        i++;
      }
      offsets.push(b);
      return new MappedText(text.replace(/\r(?=\n)/g, ' '), offsets, file.index);
    };

    const execTokens = (inst: any): Token[] =>
      (inst.getJSONStrings() as any[]).map((j) => {
        let value: string;
        try {
          value = JSON.parse(j.getValue()) as string;
        } catch {
          value = j.getJSONValue();
        }
        return { value, span: span(j.getJSONRange()) };
      });

    const isExec = (inst: any): boolean => typeof inst.getOpeningBracket === 'function' && !!inst.getOpeningBracket() && !!inst.getClosingBracket() && inst.getJSONStrings().length > 0;
    /** `ENTRYPOINT []` / `CMD []`: the exec form with no words resets the setting. */
    const isEmptyExec = (inst: any): boolean => typeof inst.getOpeningBracket === 'function' && !!inst.getOpeningBracket() && !!inst.getClosingBracket() && inst.getJSONStrings().length === 0;

    /** Shell-form text of `s`, or the argv of `SHELL`'s program with the text as its last word when the shell is not POSIX (`SHELL ["node", "-e"]`). */
    const runShellForm = (inst: any, text: MappedText | undefined, s: Stage, context: InvocationContext, origin: Origin, id: string): boolean => {
      if (!text) return false;
      if (s.shellForm) {
        runShell(text, s, context, origin, id);
        return true;
      }
      if (!s.shellWords?.length) return false;
      const whole: Token = { value: text.text, span: text.span(0, text.text.length) };
      runContainer({ origin, context, id, command: [...s.shellWords, whole], env: [...s.env], argsName: String(inst.getKeyword()) }, ctx);
      return true;
    };

    /** The command of `HEALTHCHECK [options] CMD …`: exec form (a JSON array, read with jsonc-parser) or shell form. */
    const healthcheckCommand = (inst: any, s: Stage, context: InvocationContext, origin: Origin, id: string): void => {
      const sub = inst.getSubcommand?.();
      if (!sub || String(sub.getValue()).toUpperCase() !== 'CMD') return;
      const r: Range | null = inst.getArgumentsRange();
      if (!r) return;
      let a = off(sub.getRange().end);
      const b = off(r.end);
      while (a < b && /\s/.test(file.text[a]!)) a++;
      if (file.text[a] === '[') {
        const json = file.text.slice(a, b);
        // jsonc-parser's tree builder recurses per level: deeper arrays are refused before it runs
        const deep = jsonTooDeep(json);
        if (deep !== undefined) {
          ctx.model.problems.push({ file: file.path, span: file.index.span(a + deep, a + deep + 1), code: 'nesting-budget', format: 'healthcheck-json', limit: MAX_NESTING, source: 'dockerfile' });
          return;
        }
        const root = parseTree(json);
        if (root?.type === 'array' && root.children?.every((c) => c.type === 'string')) {
          const words = root.children.map((c) => {
            const m = MappedText.jsonString(file.index, a + c.offset, c.length);
            return { value: String(c.value), span: m.span(0, m.text.length) } as Token;
          });
          if (words.length) runContainer({ origin, context, id, command: words, env: [...s.env], argsName: 'HEALTHCHECK' }, ctx);
          return;
        }
      }
      runShellForm(inst, MappedText.verbatim(file.index, a, b), s, context, origin, id);
    };

    const runShell = (text: MappedText, s: Stage, context: InvocationContext, origin: Origin, id: string) => {
      // parseShell copies the variables it is given; ENV replaces s.env rather than changing it
      addShellText(text, { origin, context, id, shell: { vars: s.vars, trackAssignments: true, describeUnknown: (n) => ({ kind: 'variable', of: 'dockerfile-arg', name: n }) }, inheritedEnv: s.env }, ctx);
    };

    const cuts = instructionCuts(file.text);
    const lineOf = (offset: number): number => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    const parseText = (a: number, b: number): any => dockerfileAst().DockerfileParser.parse(a === 0 && b === file.text.length ? file.text : file.text.slice(a, b));
    chunks: for (let k = 0; k + 1 < cuts.length; ) {
      const a = cuts[k]!;
      let b = cuts[k + 1]!;
      let instructions: any[];
      try {
        instructions = parseText(a, b).getInstructions() as any[];
        const lastEnd: Pos | undefined = instructions[instructions.length - 1]?.getRange().end;
        if (b < file.text.length && lastEnd && lastEnd.line === lineOf(b) - lineOf(a) && lastEnd.character === 0) {
          // the chunk's last instruction runs to its end: the cut fell inside a here-document or
          // a continuation, so the rest of the file is read whole
          b = file.text.length;
          instructions = parseText(a, b).getInstructions() as any[];
        }
      } catch (e) {
        ctx.model.problems.push({ file: file.path, span: file.index.span(a, a + 1), code: 'dockerfile-syntax', detail: (e as Error).message, source: 'dockerfile' });
        return;
      }
      k = b === file.text.length ? cuts.length - 1 : k + 1;
      chunkLine = lineOf(a);
      for (const inst of instructions) {
        const kw = String(inst.getKeyword()).toUpperCase();
        const instSpan = span(inst.getRange());
        // past the file's command budget the rest is not read (the parse-error says so)
        if (commandBudgetSpent(ctx, { file: file.path, span: instSpan, source: 'dockerfile' }, instSpan)) break chunks;
        if (kw === 'FROM') {
          const imageRange: Range | null = inst.getImageRange();
          const written: string = inst.getImage() ?? '';
          const sub = substitute(written, globalArgs);
          if (stages.length >= MAX_DOCKERFILE_LIST) {
            overBudget('stages', instSpan);
            break chunks;
          }
          const parent = byName.get(sub.value.toLowerCase());
          const name: string | null = inst.getBuildStage();
          stage = {
            index: stages.length,
            fromSpan: instSpan,
            env: parent ? [...parent.env] : [],
            vars: parent ? new Map(parent.env.filter((e) => parent.vars.has(e.name)).map((e) => [e.name, parent.vars.get(e.name)!])) : new Map(),
            unknownVars: new Set(),
            workdir: parent?.workdir ?? '/',
            copies: parent ? [...parent.copies] : [],
            files: parent ? [...parent.files] : [],
            parent: false,
            shellForm: parent?.shellForm ?? true,
          };
          if (name) stage.name = name;
          if (parent) {
            parent.parent = true;
            if (parent.user) stage.user = parent.user;
            if (parent.cmd) stage.cmd = parent.cmd;
            if (parent.entrypoint) stage.entrypoint = parent.entrypoint;
            if (parent.healthcheck) stage.healthcheck = parent.healthcheck;
            if (parent.shellWords) stage.shellWords = parent.shellWords;
            if (parent.pin) stage.pin = parent.pin;
            if (parent.image) stage.image = parent.image;
          } else if (imageRange) {
            const tok: Token = { value: sub.value, span: span(imageRange) };
            if (sub.unknown.length) tok.dynamic = sub.unknown;
            stage.image = tok;
            if (!sub.unknown.length) {
              const pin = imagePin(sub.value, tok.span, 'dockerfile', kind);
              if (pin && sub.value !== written) pin.span = tok.span;
              const added = addPin(ctx, pin);
              if (added) stage.pin = added;
            }
          }
          stages.push(stage);
          if (name && !byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), stage);
          continue;
        }
        if (kw === 'ARG') {
          for (const p of (inst.getProperties?.() ?? []) as any[]) {
            const n: string = p.getName();
            const v: string | null = p.getValue();
            const target = stage ? stage.vars : globalArgs;
            if (v !== null && v !== undefined) {
              const sub = substitute(v, stage ? stage.vars : globalArgs);
              if (sub.unknown.length) target.delete(n);
              else target.set(n, sub.value);
            } else if (stage && globalArgs.has(n)) stage.vars.set(n, globalArgs.get(n)!);
            else target.delete(n);
          }
          continue;
        }
        if (!stage) continue;
        const s = stage;
        if (kw === 'USER' || kw === 'WORKDIR' || kw === 'COPY' || kw === 'ADD') delete s.runContext;
        switch (kw) {
          case 'ENV': {
            for (const p of (inst.getProperties?.() ?? []) as any[]) {
              if (s.env.length >= MAX_DOCKERFILE_LIST) {
                overBudget('stage-env', instSpan);
                break chunks;
              }
              const n: string = p.getName();
              const v: string = p.getValue() ?? '';
              const sub = substitute(v, s.vars);
              const vr: Range | null = p.getValueRange();
              // `ENV X="a b"`: the value's range includes the quotes; the token maps the text inside them
              let valueSpan = vr ? span(vr) : span(p.getRange());
              if (vr) {
                const raw = file.text.slice(off(vr.start), off(vr.end));
                if (raw.length === v.length + 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]) && raw.slice(1, -1) === v) {
                  valueSpan = file.index.span(off(vr.start) + 1, off(vr.end) - 1);
                }
              }
              const value: Token = { value: sub.value, span: valueSpan };
              if (sub.unknown.length) value.dynamic = sub.unknown;
              const origin: Origin = { file: file.path, span: instSpan, source: 'dockerfile', name: s.name ?? `stage ${s.index + 1}` };
              const setting: EnvSetting = { name: n, value, span: span(p.getRange()), origin, context: { kind, cwd: repoDir(s) } };
              s.env = [...s.env.filter((e) => e.name !== n), setting];
              ctx.model.env.push(setting);
              if (sub.unknown.length) s.vars.delete(n);
              else s.vars.set(n, sub.value);
            }
            break;
          }
          case 'USER': {
            const args = inst.getArguments() as any[];
            const raw = args.map((a) => a.getValue()).join(' ');
            const value = substitute(raw, s.vars).value;
            s.user = { value, span: instSpan, text: `USER ${value}` };
            break;
          }
          case 'WORKDIR': {
            const raw = (inst.getArguments() as any[]).map((a) => a.getValue()).join(' ');
            s.workdir = containerPath(s.workdir, substitute(raw, s.vars).value);
            break;
          }
          case 'COPY':
          case 'ADD': {
            if ((inst.getFlags?.() ?? []).some((f: any) => f.getName() === 'from')) break;
            const args = (isExec(inst) ? execTokens(inst).map((t) => t.value) : (inst.getArguments() as any[]).map((a) => a.getValue())) as string[];
            if (args.length < 2) break;
            const dest = containerPath(s.workdir, args[args.length - 1]!);
            const intoDir = args.length > 2 || args[args.length - 1]!.endsWith('/');
            for (const src of args.slice(0, -1)) {
              if (s.files.length >= MAX_DOCKERFILE_LIST) {
                overBudget('stage-sources', instSpan);
                break chunks;
              }
              const clean = src.replace(/^\.\/?/, '').replace(/\/$/, '');
              if (!clean || clean.includes('*') || clean.includes('?') || clean.startsWith('/') || clean.includes('..') || clean.includes('$')) continue;
              const base = clean.slice(clean.lastIndexOf('/') + 1);
              const path = intoDir ? `${dest.replace(/\/$/, '')}/${base}` : dest.replace(/\/$/, '');
              s.files = [...s.files.filter((f) => f.path !== path), { path, repo: joinPath(dir, clean) }];
            }
            for (const src of args.slice(0, -1)) {
              if (s.copies.length >= MAX_DOCKERFILE_LIST) {
                overBudget('stage-sources', instSpan);
                break chunks;
              }
              const clean = src.replace(/^\.\/?/, '').replace(/\/$/, '');
              if (src === '.' || src === './') s.copies.push({ dest, repo: dir });
              else if (!clean.includes('*') && !clean.startsWith('/') && !clean.includes('..') && args.length === 2)
                s.copies.push({ dest: dest.replace(/\/$/, ''), repo: [dir, clean].filter(Boolean).join('/') });
            }
            break;
          }
          case 'SHELL': {
            const words = isExec(inst) ? execTokens(inst).map((t) => t.value) : [];
            const tokens = isExec(inst) ? execTokens(inst) : [];
            const sh = (words[0] ?? '').replace(/^.*[\\/]/, '').replace(/\.exe$/i, '');
            s.shellForm = ['sh', 'bash', 'dash', 'ash', 'zsh'].includes(sh);
            if (s.shellForm) delete s.shellWords;
            else s.shellWords = tokens;
            break;
          }
          case 'CMD':
            if (isEmptyExec(inst)) delete s.cmd; // `CMD []`: no default arguments
            else s.cmd = { inst, form: isExec(inst) ? 'exec' : 'shell', line: chunkLine };
            break;
          case 'ENTRYPOINT':
            if (isEmptyExec(inst)) delete s.entrypoint; // `ENTRYPOINT []`: the base image's entrypoint is gone; CMD runs as the command
            else s.entrypoint = { inst, form: isExec(inst) ? 'exec' : 'shell', line: chunkLine };
            delete s.cmd; // an ENTRYPOINT resets the CMD inherited from the base
            break;
          case 'HEALTHCHECK': {
            const sub = inst.getSubcommand?.();
            if (sub && String(sub.getValue()).toUpperCase() === 'NONE') delete s.healthcheck;
            else s.healthcheck = { inst, line: chunkLine };
            break;
          }
          case 'ONBUILD': {
            // runs in every image built FROM this one: read the trigger like the instruction it is
            const t = inst.getTriggerInstruction?.();
            if (!t) break;
            const tkw = String(t.getKeyword()).toUpperCase();
            if (tkw !== 'RUN' && tkw !== 'CMD' && tkw !== 'ENTRYPOINT') break;
            const origin: Origin = { file: file.path, span: instSpan, source: 'dockerfile', name: `ONBUILD ${tkw}` };
            const context = contextOf(s, tkw !== 'RUN', false);
            const id = `${file.path}#onbuild:${++onbuildCount}`;
            if (isExec(t)) runContainer({ origin, context, id, command: execTokens(t), env: [...s.env], argsName: `ONBUILD ${tkw}` }, ctx);
            else runShellForm(t, shellText(t), s, context, origin, id);
            break;
          }
          case 'RUN': {
            runCount++;
            const origin: Origin = { file: file.path, span: instSpan, source: 'dockerfile', name: `RUN #${runCount}` };
            const context = contextOf(s, false, false);
            const id = `${file.path}#run:${runCount}`;
            if (isExec(inst)) {
              runContainer({ origin, context, id, command: execTokens(inst), env: [...s.env], argsName: 'RUN' }, ctx);
              break;
            }
            if (!s.shellForm) {
              runShellForm(inst, shellText(inst), s, context, origin, id);
              break;
            }
            const text = shellText(inst);
            if (!text) break;
            runShell(text, s, context, origin, id);
            // `RUN <<EOF` … `EOF`: the heredoc body is the script
            const heredocs = (inst.getHeredocs?.() ?? []) as any[];
            const firstLine = text.text.split('\n')[0]!.trim();
            if (heredocs.length && /^(<<-?["']?[A-Za-z_][A-Za-z0-9_]*["']?\s*)+$/.test(firstLine)) {
              heredocs.forEach((h, k) => {
                const cr: Range | null = h.getContentRange();
                if (!cr) return;
                runShell(MappedText.verbatim(file.index, off(cr.start), off(cr.end)), s, context, origin, `${id}:heredoc:${k + 1}`);
              });
            }
            break;
          }
          default:
            break;
        }
      }
    }

    // what each stage runs when started: ENTRYPOINT + CMD of stages nothing else builds on
    const last = stages[stages.length - 1];
    if (last) {
      (ctx.model.dockerImages ??= []).push(last.user ? { file: file.path, from: last.fromSpan, user: last.user } : { file: file.path, from: last.fromSpan });
    }
    for (const s of stages) {
      if (s.parent) continue;
      const isFinal = s === last;
      const context = contextOf(s, true, isFinal);
      if (s.healthcheck) {
        const hc = s.healthcheck;
        within(hc.line, () => {
          const origin: Origin = { file: file.path, span: span(hc.inst.getRange()), source: 'dockerfile', name: 'HEALTHCHECK' };
          healthcheckCommand(hc.inst, s, context, origin, `${file.path}#${s.name ?? `stage${s.index + 1}`}:healthcheck`);
        });
      }
      if (!s.cmd && !s.entrypoint) continue;
      const ep = s.entrypoint;
      const cmd = s.cmd;
      const first = (ep ?? cmd)!;
      const origin: Origin = { file: file.path, span: within(first.line, () => span(first.inst.getRange())), source: 'dockerfile', name: ep && cmd ? 'ENTRYPOINT + CMD' : ep ? 'ENTRYPOINT' : 'CMD' };
      const id = `${file.path}#${s.name ?? `stage${s.index + 1}`}:start`;
      if (ep?.form === 'shell') {
        within(ep.line, () => runShellForm(ep.inst, shellText(ep.inst), s, context, origin, id));
        continue;
      }
      if (!ep && cmd?.form === 'shell') {
        within(cmd.line, () => runShellForm(cmd.inst, shellText(cmd.inst), s, context, origin, id));
        continue;
      }
      const run = { origin, context, id, env: [...s.env], argsName: 'CMD' } as Parameters<typeof runContainer>[0];
      if (ep) run.command = within(ep.line, () => execTokens(ep.inst));
      if (cmd?.form === 'exec') run.args = within(cmd.line, () => execTokens(cmd.inst));
      if (cmd) run.argsSpan = within(cmd.line, () => span(cmd.inst.getRange()));
      if (s.image) run.image = s.image;
      runContainer(run, ctx);
    }
  },
};
