/**
 * The runtimes' answers, cached per runtime version in test/differential/answers/<runtime>-<version>.json
 * and committed, so a clean clone compares against recorded answers without starting thousands of
 * processes. A key is one flag set (argv, environment, working folder, with the temp folder written
 * `$B`); the file also records the probe list it was asked with (a changed probe list discards
 * every answer) and what the machine's PATH resolved program names to (the model uses the same).
 * `PERMLINT_DIFF_REFRESH=1` (`npm run differential:refresh`) asks the runtime again for everything.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Answer = { ok: true; states: unknown[] } | { ok: false; error: string };
/** How answers are stored: the common states as one letter each (`gpd`, `tf`), so a file of a thousand sets stays small. */
type Stored = { ok: true; states: unknown[] | string } | { ok: false; error: string };

const CODE: Record<string, string> = { granted: 'g', prompt: 'p', denied: 'd', true: 't', false: 'f' };
const DECODE: Record<string, unknown> = { g: 'granted', p: 'prompt', d: 'denied', t: true, f: false };

/**
 * A probe run's answer: the states its last stdout line prints (as JSON) when it exits 0, else the
 * first stderr line `isError` accepts (or the first line, with `firstLine`), the temp folder
 * written `$B`. `states` turns the printed value into the states (default: the array itself).
 */
export function answerOf(
  res: { code: number | null; stdout: string; stderr: string },
  base: string,
  isError: (line: string) => boolean,
  options: { firstLine?: boolean; states?: (printed: unknown) => unknown[] } = {},
): Answer {
  const lines = res.stderr.trim().split('\n');
  const error = lines.find(isError) ?? (options.firstLine === false ? undefined : lines[0]) ?? `exit ${res.code}`;
  if (res.code === 0) {
    try {
      const printed = JSON.parse(res.stdout.trim().split('\n').pop() ?? '') as unknown;
      return { ok: true, states: options.states ? options.states(printed) : (printed as unknown[]) };
    } catch {
      /* no answer line: refused (or help printed) */
    }
  }
  return { ok: false, error: error.replaceAll(base, '$B') };
}

function encode(a: Answer): Stored {
  if (!a.ok || !a.states.every((x) => String(x) in CODE && (typeof x === 'boolean' || typeof x === 'string'))) return a;
  return { ok: true, states: a.states.map((x) => CODE[String(x)]).join('') };
}

function decode(a: Stored): Answer {
  if (!a.ok || Array.isArray(a.states)) return a as Answer;
  return { ok: true, states: [...a.states].map((c) => DECODE[c]) };
}

interface AnswerFile {
  runtime: string;
  version: string;
  /** sha256 of the probe list (with `$B`): answers only hold for the probes they were asked with. */
  probes: string;
  /** Program names resolved through PATH where the answers were recorded. */
  which: Record<string, string | null>;
  answers: Record<string, Stored>;
}

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'answers');
export const REFRESH = process.env.PERMLINT_DIFF_REFRESH === '1';

export class AnswerCache {
  private data: AnswerFile;
  private dirty = false;
  readonly file: string;
  /** Keys answered from the file, and keys the runtime was asked for in this run. */
  hits = 0;
  asked = 0;

  constructor(runtime: string, version: string, probes: unknown, which: Record<string, string | null>) {
    this.file = join(DIR, `${runtime}-${version}.json`);
    // `probes` must not depend on the temp folder (write it `$B`)
    const hash = createHash('sha256').update(JSON.stringify(probes)).digest('hex').slice(0, 16);
    const loaded = existsSync(this.file) && !REFRESH ? (JSON.parse(readFileSync(this.file, 'utf8')) as AnswerFile) : undefined;
    if (loaded && loaded.probes === hash) this.data = loaded;
    else {
      this.data = { runtime, version, probes: hash, which, answers: {} };
      this.dirty = true;
    }
  }

  /** What PATH resolved each program name to where the answers were recorded. */
  get which(): Record<string, string | null> {
    return this.data.which;
  }

  get(key: string): Answer | undefined {
    const a = this.data.answers[key];
    if (!a) return undefined;
    this.hits++;
    return decode(a);
  }

  set(key: string, answer: Answer): void {
    this.data.answers[key] = encode(answer);
    this.asked++;
    this.dirty = true;
  }

  /** Forget answers whose keys the generator no longer produces. */
  keepOnly(keys: Set<string>): void {
    for (const k of Object.keys(this.data.answers)) {
      if (!keys.has(k)) {
        delete this.data.answers[k];
        this.dirty = true;
      }
    }
  }

  save(): void {
    if (!this.dirty) return;
    const answers = Object.fromEntries(Object.entries(this.data.answers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    writeFileSync(this.file, `${JSON.stringify({ ...this.data, answers }, null, 0).replace(/,"answers":\{/, ',\n"answers":{\n').replace(/\},"/g, '},\n"')}\n`);
    this.dirty = false;
  }
}

/** Key of one flag set: its words, environment and working folder, with the temp folder as `$B`. */
export function keyOf(base: string, parts: { argv: string[]; env?: Record<string, string>; cwd?: string }): string {
  return JSON.stringify(parts).replaceAll(base, '$B');
}
