/**
 * The shell reader's fast path (plain command lines read by a tokenizer) against the full parser
 * (mvdan/sh on the whole text): the same commands, argv tokens, spans, assignments and errors, on
 * every shell text the fixtures hold, on hand-written edge cases, and on generated mixes. Then the
 * reader's linearity and its expansion budget.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, lintDir } from '../helpers.js';
import { constructLines, EXPANSION_BUDGET, fastLine, parseShell, recordShellTexts, shellStats, type ShellOptions } from '../../src/shell/index.js';
import { LineIndex, MappedText } from '../../src/text.js';
import { dynamicText } from '../../src/messages/dynamic.js';

function read(text: string, engine: 'auto' | 'full', options: ShellOptions = {}) {
  const index = new LineIndex('t.sh', text);
  return parseShell(MappedText.verbatim(index, 0, text.length), { trackAssignments: true, ...options, engine });
}

function agree(text: string): void {
  const full = read(text, 'full');
  const fast = read(text, 'auto');
  expect(fast, JSON.stringify(text)).toEqual(full);
}

afterAll(() => recordShellTexts(undefined));

describe('fast path = full parser', () => {
  it('on every shell text of every fixture', async () => {
    const texts = new Set<string>();
    recordShellTexts((t) => texts.add(t));
    for (const name of readdirSync(FIXTURES)) {
      const dir = join(FIXTURES, name);
      if (statSync(dir).isDirectory()) await lintDir(dir);
    }
    recordShellTexts(undefined);
    expect(texts.size).toBeGreaterThan(100);
    const before = shellStats.fastLines;
    for (const t of texts) agree(t);
    // the fast path did read lines (so the comparison is not full against full)
    expect(shellStats.fastLines - before).toBeGreaterThan(texts.size / 2);
  });

  it('on edge cases of quoting, escapes, expansions, operators and redirections', () => {
    const cases = [
      'deno run --allow-net=api.example.com main.ts',
      "X=1 Y='a b' deno run \"$X\" ${Y} $1 $@ \"$*\" $# $? $$ $! $- $0 'lit $X'",
      'A=1; B=$A; deno run $B',
      'A=1 B=$A deno run $A $B',
      'export A=1 B=$A -x C D=; readonly R=2; local L=3; declare -x E=$R',
      'echo a&&echo b||echo c|cat&echo d;echo e',
      'echo a &&\n\n  # comment\n  echo b',
      'cmd 2>&1 >/dev/null < in &>all &>>more >&2 x 3<&0 y',
      'echo a\\ b \\$X "\\$X \\" \\\\ \\n" c\\\nd',
      'echo "multi\nline" \'also\nmulti\'',
      'echo é 世界 😀 "é $X" && deno run --allow-read=é',
      'echo a # trailing\n# whole line\n\n   \necho b',
      // mvdan-sh 0.10.1 continues a comment ending in a backslash: the next line joins the command
      'echo a #c\\\ndeno run\nB=1 #\\\nx\necho #c\\\\\ny\nif a; then b #c\\\n c; fi',
      'echo a#b {} {a,b} ~/x *.ts [ab] ] ]] = a=b',
      'X= cmd\nY=\nZ=""',
      'echo $ x', // a lone $
      'echo ${X:-d} ${#X} ${X/a/b} ${!X} $((1+2)) $(echo hi) `echo hi` $\'a\' $"b"',
      'if true; then deno run -A a.ts; fi\necho after',
      'for f in a b; do deno run $f; done',
      'case $X in a) deno run -A x;; *) echo no;; esac',
      'f() { deno run -A y; }\nf',
      'function g {\n deno run -A z\n}',
      '(cd sub && deno run -A w)',
      '{ deno run -A v; }',
      'cat <<EOF\n$X\nEOF\ndeno run -A u',
      'cat <<-"EOF"\n\tx\n\tEOF',
      'while read l; do echo $l; done < file',
      'X=(a b c); deno run ${X[0]}',
      'X+=1; Y[1]=2',
      'time deno run -A t; ! deno run -A n',
      '[[ -f x ]] && deno run -A m',
      'echo a\r\necho b\r\n',
      'echo a |& cat',
      'echo a ;; b',
      'echo "unclosed',
      'echo a &&',
      'if x; then',
      'echo $(',
      'echo ok\nif x; then\n echo in\nfi\necho "after"\nfor i in 1; do\n deno run -A $i\ndone\n',
      'let x=1',
      'coproc cat',
      'echo a \\',
      // a continued line is one command: the full parser's chunk must not end at its first line
      'git push\ngh pr create \\\n  --title "release $(date -u)" \\\n  --body x\necho after',
      "echo 'a\\\nb' && if x; then\n echo \\\n  y\nfi",
    ];
    for (const c of cases) agree(c);
  });

  it('on generated mixes of plain lines and control syntax, including errors late in the text', () => {
    const plain = ['echo a', 'X=1', 'deno run --allow-read=$X a.ts', "echo 'q' \"$Y\"", 'A=1 B=2 cmd -f x 2>&1', 'export P=/usr/bin'];
    const control = ['if [ -f x ]; then\n  deno run -A a\nfi', 'for i in 1 2; do\n echo $i\ndone', 'cat <<EOF\n$X\nEOF', 'f() {\n  echo f\n}', '(echo sub)', 'echo $(echo nested)'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let k = 0; k < 60; k++) {
      const lines: string[] = [];
      const n = 1 + rnd(40);
      for (let i = 0; i < n; i++) lines.push(rnd(4) ? plain[rnd(plain.length)]! : control[rnd(control.length)]!);
      if (k % 10 === 9) lines.splice(rnd(lines.length), 0, 'if broken; then');
      agree(lines.join('\n') + (k % 2 ? '\n' : ''));
    }
  });
});

describe('compound reader = full parser', () => {
  it('on each construct it reads, their edge cases, and what it leaves to mvdan/sh', () => {
    const cases = [
      // if / elif / else, statuses of the condition (never, arms, exhaustive)
      'if [ -f x ]; then deno run -A a; fi',
      'if true; then A=1; else A=2; fi; deno run $A',
      'if false; then deno run -A a; elif x; then b; else c; fi\nd',
      'if ! rustup --version 2>&1 | grep -q x; then exit 0; fi',
      'if a\nthen\n  b\nelif c\nthen\n  d\nelse\n  e\nfi > out 2>&1 && f || g',
      'if x; then\n  if y; then z; fi\nfi',
      // loops
      'for f in a "$X" *.ts $(ls); do deno run $f; done',
      'for f\ndo\n  echo $f\ndone',
      'for i in $(seq 1 30); do\n  if curl -s x > /dev/null 2>&1; then\n    break\n  fi\n  sleep 1\ndone',
      'while read -r l; do echo "$l"; done < "$(f)"',
      'until false; do X=1; done; echo $X',
      // case
      'case "${RUNNER_OS}-${RUNNER_ARCH}" in\n  Linux-X64) t=x; ext= ;;\n  (macOS*|Darwin) t=y ;;\n  *) echo no; exit 1 ;;\nesac\necho $t',
      'case $1 in a) ;; b) echo b\nesac',
      'case x in esac',
      'case $X in a) echo;; esac | cat',
      // groups, subshells, functions
      '{ echo a; echo b; } >> "$GITHUB_ENV"',
      '(cd sub && deno run -A w) > /dev/null || true',
      'f() {\n  test ! -e a || mv -f a b\n}\nf',
      'function g {\n deno run -A z\n}\nfunction h() ( echo h )',
      'f () { local X=1; export Y=$X; }; f',
      // [[ ]]
      '[[ -n "$(git status --porcelain)" ]] && exit 1',
      'if [[ "$R" == "refs/heads/main" || "$R" == refs/tags/* ]]; then echo y; fi',
      '[[ ! -z $Y && -d d ]] || [[ a ]]',
      // substitutions and parameter operators
      'echo "Key is $(echo $K | base64 -d | wc -c) bytes"',
      'X=$(git log -n 1 ${H}); deno run $X',
      'export PATH=$PATH:$(pwd)/target/release',
      'rcodesign sign --p12-file=<(echo $K | base64 -d) x',
      'echo $(a $(b "$(c)")) "$(d)"$(e)',
      'echo "${CARGO_HOME:-$HOME/.cargo}/bin" ${GITHUB_REF#refs/*/} ${f%.zip} ${#X} ${X/a/b} ${X^^} ${X,}',
      'X=${Y:-d}; deno run ${X:?} ${X:=e} ${X+f}',
      // operators, negation, background
      '! a | b | c && ! d | e',
      'a & b && c &\nd',
      'a &&\n\n  # c\n  if x; then y; fi',
      '[ -f "$c" ] && DENO_BIN="$c" && break',
      // here-documents (bodies without substitutions), here-strings, plain backticks
      "cat > f << 'HEREDOC'\nstorage: $X `x` $(y)\nHEREDOC\necho after",
      'cat <<-EOF | sort\n\tbody $X ${Y}\n\tEOF\nx',
      'if a; then\n  cat <<EOF\nfi\nEOF\nfi\necho after',
      'grep x <<< "$(a)" && b <<< $T',
      'wget https://x/sysroot-`uname -m`.tar.xz -O /tmp/s',
      'echo "Ensure `cargo test` is ok"',
      // mvdan/sh quirks the readers leave to it: `#` after a quote, a continued line in double quotes
      'echo "$X"#b c',
      "echo 'a'#b",
      'echo a"b"c#d',
      'echo "a\\\nb" c',
      // parameters with operators on any operand, indexes, `${!X}`, numbered parameters
      'deno run -A x.ts ${LATEST_FILE:+"$LATEST_FILE"} "${X:-"a b"}" ${X-\'t s\'} ${X/a\\/b/c} ${X-"\\${l}\\t"}',
      'REF=${1:-main}; [ "$1" != "${1#-}" ] && echo ${1##*@} ${#1}',
      'a="${!k:-${L:-}}" b=${A:-${B:-${C}}}; echo $a $b',
      'echo ${A[@]} "${A[@]}" ${#A[@]} ${#A[*]} ${A[0]} ${A[i]} ${A[$i]} ${!A[@]} ${!P*} ${!P@} "${X[@]:-d}"',
      'status=${PIPESTATUS[0]}; "${CLI[@]}" init --x 2>&1 | tail -40',
      // look-alikes and damage: each left to mvdan/sh
      'echo ${X:-$(c)} ${X:-`c`} ${X:1} ${X@Q} ${#X:-a} ${X[-1]} ${1[0]} ${X[ 0 ]} ${!1}',
      'echo ${X:-',
      'echo ${X[',
      'echo ${',
      'echo "${X:-"a}',
      // `$'…'`, `$"…"`, a `$` that starts nothing
      "bad_dir=$'bad-\\xff'\necho $'a\\'b' \"$'x'\" $\"d $X\" a$'\\n'b",
      'echo $ a$ "$" "a$" $} $/x $= \\\\$/x "\\\\$" -u $ --password-stdin',
      "echo $'unterminated",
      "echo $'a\\",
      'echo $"unterminated',
      'echo $[1 + 2] $\\x',
      // arithmetic expansions
      'FAILURES=$((FAILURES + 1)); echo $(( (a+1) * $b - ${c} )) "$((0x1F << 2))" $((!a && ~b || -c)) $((a**2 != b))',
      'echo $((a++)) $((a=1)) $((a += 1)) $((1 ? 2 : 3)) $((1,2)) $((a[0])) $((1.5))',
      'echo $((',
      'echo $((a)',
      'echo $(( ))',
      'echo $((a) + 1)',
      // arrays, `+=`
      'args=("$@")\nif [ ${#args[@]} -eq 0 ]; then\n  args=(--release --bin deno)\nfi\nexec cargo build "${args[@]}"',
      'a=() b=(x "y z" $(c) \'q\') c=1; a+=(--changed-file "$f"); X+=1; Y+=; echo $X',
      'A=(\n  x # one\n  y\n\n  # two\n  z\n)\necho ${A[@]}',
      'local -a L=(a b); declare -A M=(); export E=(x) F=1 G',
      'args+=(${extra[@]+"${extra[@]}"})\nargs+=("[a]" "x"y \'=\')',
      'a=(x) cmd',
      'a=(x)b',
      'a=(x (y))',
      'a=([k]=v)',
      'a=(x[0] y)',
      'a=("a"[b])',
      'a=(c"="d "a"=b)',
      'a=(=x)',
      'a=("a"=b)',
      'a=(x',
      'a=(x; y)',
      'cat <<EOF; a=(x\ny)\nbody\nEOF',
      'a{=b[0] c; a-b=c[1]; X{+=a[0]',
      // process substitutions as words and redirection targets
      'mapfile -t A < <(find "$R/ai" -type f \\( -name \'*.ts\' \\) | sort)\n./shellcheck --shell bash <(deno run -r x.ts completions bash)',
      'diff <(a) <(b) > >(tee log) 2>&1',
      'cat >>(x)',
      'cat <(x',
      // `export` of other words
      'export $(grep -v \'^#\' /tmp/.env | xargs)\nexport A $(b) "C" -p',
      'export A=1 "b"',
      'export A=1 $(b)',
      'readonly A=1 $',
      'export a-b=c',
      'export A[0]=1',
      // `[[ … =~ … ]]`
      'if [[ "$REF" =~ ^[0-9a-f]{40}$ ]]; then\n  echo sha\nfi',
      '[[ $x =~ (a|b)c$ && -n $y ]] || [[ $v =~ ^v${V}"-"(rc|beta)\\.[0-9]+ ]]',
      "[[ $x =~ 'a b' ]] && [[ $x =~ a\\ b ]]",
      '[[ $x =~ $(y) ]]',
      '[[ $x =~ `y` ]]',
      '[[ $x =~ (a b) ]]',
      '[[ $x =~ ) ]]',
      '[[ $x =~ ( ]]',
      '[[ $x =~ ]]',
      '[[ $x =~\n a ]]',
      // a parameter followed by the delimiter ends an unquoted here-document in mvdan-sh 0.10.1
      'cat <<EOF\n${X}EOF\nEOF\necho after',
      'cat <<-EOF\n\t$X\tEOF\n\tEOF\necho after',
      // left to mvdan/sh (each must still agree)
      'cat <<EOF\n$(date)\nEOF',
      'echo `a \\`b\\`` "`date "x"`"',
      'for ((i = 0; i < 3; i++)); do echo $i; done',
      'if ((i % 2)); then a; fi',
      'x=$((i++)); y=${X:0:2}; z=${X[0]:1}',
      '(( count++ )); for ((i = 0; i < 3; i++)); do echo; done',
      '[[ a < b ]]',
      'echo ${X:-"quoted"} ${X:-$(cmd)}',
      'case x in a) echo;& b) echo;;& esac',
      'select x in a b; do echo; done',
      'time a; coproc b',
      'echo a |& b',
      'f() { a; } && b',
      'diff <(a) <(b)',
      // malformed: the same errors
      'if x; then fi',
      'if x; then y; else fi',
      'for i in a b; do done',
      'while x; do y',
      '{ }',
      '( )',
      '{echo a; }',
      'case x in a) echo',
      'echo $(a',
      'f() echo x',
      'if x; then y; fi z',
      '[[ -f ]]',
      '[[ a b ]]',
      'a | ! b',
      '! ! a',
      'a &&\n',
      'fi',
      'done; echo',
      ')',
      // arithmetic commands and C-style loops: assignments to a name, increments written together,
      // what is left to mvdan/sh (`,`, `?:`, an assignment inside an expression, `$(…)`, `${X:-…}`,
      // an increment of a number or with a blank, a line break, `a[1]`, `10#5`, `**=`)
      '((x = y = 3)); echo $x',
      '((++i)); ((--j)); ((i--)); ((n += 2)); ((m <<= 1))',
      '((a += 2, b))',
      '((i+++j)); ((-++i)); ((i++ + 1)); ((!a && ~b || c)); (((a)))',
      '((1++))',
      '(( i ++ ))',
      '(( ))',
      '((a = ))',
      '((a ? b : c))',
      '((a = b == c)); ((a == b)) || echo no',
      '((a == b = c))',
      '(( $(echo 1) + 1 ))',
      '(( ${X:-1} ))',
      '(( ${X} + $1 * 2 - $# ))',
      '((a[1] = 2))',
      '((0x1F + 10#5))',
      '((b**=2))',
      '((\n a ))',
      '((a\\\n+b))',
      '((x))echo',
      '((x)) > f && echo a; ! ((x)); ((x)) & ((y)) | cat',
      'for ((;;)); do echo a; done',
      'for (( ; ; )); do break; done',
      'for ((i=0;i<3;i++))\ndo\n echo $i\ndone',
      'for ((i=0;i<3;i++)) do echo; done',
      'for((i=0;i<2;i++)); do echo; done',
      'for ((i=0; i<$(nproc); i++)); do echo; done',
      'for ((i = 1; i <= N; i++)); do\n  if ((i % 2)); then\n    deno run -A a.ts\n  else\n    deno run b.ts\n  fi\ndone',
      // a comment that ends in a backslash: between commands it continues onto nothing
      'echo a; # c \\\necho b',
      'echo a && # c \\\necho b',
      'if true; then # c \\\n echo b; fi',
      'f() { # c \\\n echo b; }',
      'case x in a) # c \\\n echo; ;; esac',
      '# a \\\n  # b \\\necho y\necho x',
      'X=(a # c \\\n b)\necho $X',
      'echo a # c \\\necho b',
    ];
    for (const c of cases) agree(c);
    for (const c of cases) {
      const full = read(c, 'full', { dialect: 'deno-task' });
      expect(read(c, 'auto', { dialect: 'deno-task' }), JSON.stringify(c)).toEqual(full);
    }
  });

  /** Reads `text` and checks that no chunk went to mvdan/sh and the compound reader read `lines` lines. */
  function readItself(text: string, lines: number): ReturnType<typeof read> {
    const chunks = shellStats.fullChunks;
    const before = shellStats.compoundLines;
    const r = read(text, 'auto');
    expect(shellStats.fullChunks).toBe(chunks);
    expect(shellStats.compoundLines - before).toBe(lines);
    return r;
  }

  it('reads the constructs itself: no chunk reaches mvdan/sh', () => {
    const text = [
      'if [ -z "$V" ]; then echo "none"; exit 0; fi',
      'for f in deno-*.zip; do\n  ( cd "$tmp" && shasum -a 256 deno* ) > "${f%.zip}.sha256sum"\ndone',
      'case "$OS" in\n  Linux*) deno run -A x ;;\n  *) exit 1 ;;\nesac',
      'restore() {\n  test ! -e a || mv -f a b\n}',
      '[[ -n "$(git status --porcelain)" ]] && { echo dirty; exit 1; }',
    ].join('\n');
    const r = readItself(text, 5);
    expect(r.commands.map((c) => c.argv[0]!.value)).toEqual(['[', 'echo', 'exit', 'cd', 'shasum', 'deno', 'exit', 'test', 'mv', 'git', 'echo', 'exit']);
  });

  it('reads arrays, indexes, quoted operands, `$\'…\'`, arithmetic, `<(…)` words and `=~` itself: no chunk reaches mvdan/sh', () => {
    const text = [
      'args=("$@")',
      'if [ ${#args[@]} -eq 0 ]; then args=(--release --bin deno); fi',
      'deno run -A x.ts "${args[@]}" ${LATEST:+"$LATEST"} $\'a\\tb\' ${1:-main} $((n + 1)) ${!k:-$d}',
      'mapfile -t S < <(find . -name \'*.ts\')',
      'if [[ "$R" =~ ^[0-9a-f]{40}$ ]]; then echo sha; fi',
      'export $(grep -v \'^#\' .env | xargs)',
      'n+=1',
    ].join('\n');
    const r = readItself(text, 7);
    expect(r.commands.map((c) => c.argv.map((a) => a.value))).toEqual([
      ['[', '${args}', '-eq', '0', ']'],
      ['deno', 'run', '-A', 'x.ts', '${args}', '${LATEST}', 'a\\tb', '${1}', '$((…))', '${k}'],
      ['mapfile', '-t', 'S'],
      ['find', '.', '-name', '*.ts'],
      ['echo', 'sha'],
    ]);
    // an array has no value; its span runs from the name to the `)`
    expect(r.assignments.map((a) => [a.name, a.value.value, a.span.line, a.span.column, a.span.endColumn])).toEqual([
      ['args', '', 1, 1, 12],
      ['args', '', 2, 32, 59],
      ['n', '1', 7, 1, 5],
    ]);
    expect(r.commands[1]!.argv.slice(4).map((a) => [a.span.column, a.span.endColumn, a.dynamic])).toEqual([
      [18, 30, [{ kind: 'variable', of: 'shell', name: 'args' }]],
      [31, 51, [{ kind: 'variable', of: 'shell', name: 'LATEST' }]],
      [52, 59, undefined],
      [60, 70, [{ kind: 'variable', of: 'shell', name: '1' }]],
      [71, 81, [{ kind: 'arithmetic-expansion' }]],
      [82, 91, [{ kind: 'variable', of: 'shell', name: 'k' }]],
    ]);
  });

  it('reads `(( … ))`, `for (( … ))` and comments continued between commands itself: no chunk reaches mvdan/sh', () => {
    // the shapes that sent honojs/hono, supabase/edge-runtime and denoland/deno-lambda to mvdan/sh (a ~100 ms load)
    const text = [
      'for ((i = 1; i <= ROUNDS; i++)); do\n  if ((i % 2)); then\n    echo "round $i/$ROUNDS" >&2\n  else\n    run_variant dev\n  fi\ndone',
      'if (( $EUID != 0 )); then\n  exit 1\nfi',
      'while true; do\n  ((count++))\n  cargo test -q $@\ndone',
      '# DENO_DIR=/tmp deno run $DENO_FLAGS /tmp/runtime.ts &> /tmp/fail.out \\\n#  || error "error: $(cat /tmp/fail.out)"',
      'deno run -A main.ts',
    ].join('\n');
    const r = readItself(text, 3);
    expect(r.commands.map((c) => c.argv.map((a) => a.value).join(' '))).toEqual(['echo round $i/$ROUNDS', 'run_variant dev', 'exit 1', 'true', 'cargo test -q $@', 'deno run -A main.ts']);
    expect(r.commands.map((c) => [c.span.line, c.span.column])).toEqual([[3, 5], [5, 5], [9, 3], [11, 7], [13, 3], [17, 1]]);
  });

  it('on generated combinations of every construct, nested, damaged and not, in both dialects', () => {
    const gen = makeGen(11);
    for (let k = 0; k < 150; k++) {
      const t = gen(k % 3 === 0);
      const full = read(t, 'full', { dialect: k % 2 ? 'deno-task' : 'sh' });
      expect(read(t, 'auto', { dialect: k % 2 ? 'deno-task' : 'sh' }), JSON.stringify(t)).toEqual(full);
    }
  });

  it('nesting deeper than it reads goes to mvdan/sh, whose limits apply as before', () => {
    for (const n of [50, 150, 1200]) {
      agree(`${'(echo $('.repeat(n)}x${'))'.repeat(n)}`);
      agree(`${'if a; then '.repeat(n)}b${'; fi'.repeat(n)}`);
      agree(`${'{ '.repeat(n)}b${'; }'.repeat(n)}`);
      agree(`echo ${'${X:-'.repeat(n)}a${'}'.repeat(n)} "${'${X:-"'.repeat(n)}a${'"}'.repeat(n)}"`);
      agree(`A=(${'a=('.repeat(n)}b${')'.repeat(n)})`);
    }
    // parentheses in arithmetic: a few read here, more left to mvdan/sh (which runs out of stack near 110)
    for (const n of [16, 17, 60]) agree(`echo $((${'('.repeat(n)}1${')'.repeat(n)}))`);
  });
});

/** Random shell texts made of the constructs the compound reader reads (and some it leaves), with random damage. */
function makeGen(seed: number): (damaged: boolean) => string {
  const rnd = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const pick = <T>(a: T[]): T => a[rnd(a.length)]!;
  const words = ['a', 'deno', 'run', '-A', 'x.ts', '"$X"', '$Y', "'q r'", '${Z}', '${Z:-d}', '${#Z}', '${Z#*/}', '${Z%.ts}', '${Z/a/b}', '"${Z:+y}"', 'a\\ b', '"p $X q"', '--allow-read=$X', 'true', 'false', ':', 'fi', 'then', 'done', '{', '}', '!', 'x=1', '""', "''", '*', 'é', '$@', '"$@"', '$1', 'a#b', '`b`', '"x `c d` y"', '`a $X`', '`a | b`', '`b`', '$((1))', '$((a + $b))', '${X:+"$X"}', "$'a\\'b'", '$"d"', '$', '"a$"', '${A[@]}', '"${#A[@]}"', '${!k:-${L:-}}', '${1:-m}', '<(a)', '$((a++))', '${X:-$(c)}'];
  const simple = (d: number): string => {
    const parts: string[] = [];
    const na = rnd(3) === 0 ? 1 + rnd(2) : 0;
    for (let i = 0; i < na; i++) parts.push(pick(['X', 'Y', 'Z']) + '=' + pick(['1', '$X', '"a b"', '$(echo v)', '', '${X:-w}', 'a$(b)c']));
    const nw = rnd(4);
    if (nw || !na) parts.push(pick(['deno', 'echo', 'cmd', 'true', 'false', ':', 'exit', 'test', '[']));
    for (let i = 0; i < nw; i++) parts.push(rnd(6) === 0 && d < 3 ? pick(['$(', '"$(', 'a$(', '--f=<(']) + list(d + 1, 1) + pick([')', ')"', ')', ')']) : pick(words));
    if (rnd(6) === 0 && (nw || !na)) parts.push(pick(['> f', '2>&1', '>> "$F"', '< in', '&> /dev/null', '>$(echo o)', '2> /dev/null', '<<< $X', '<<< "$(a)"']));
    return parts.join(' ');
  };
  const sep = () => pick(['; ', '\n', ';\n', ' &\n', '\n\n  # c\n', ' ; ', ' # c \\\n', ';# c \\\n', '\n# c \\\n']);
  const cmd = (d: number): string => {
    if (d > 2) return simple(d);
    switch (rnd(18)) {
      case 0:
        return `if ${list(d + 1)}; then ${list(d + 1)}${rnd(3) === 0 ? `${sep()}elif ${list(d + 1)}; then ${list(d + 1)}` : ''}${rnd(2) ? `${sep()}else ${list(d + 1)}` : ''}${sep()}fi`;
      case 1:
        return `for i in ${pick(['a b', '$(seq 1 3)', '"$@"', '*.ts', ''])}${pick(['; do ', '\ndo\n', ';do '])}${list(d + 1)}${sep()}done`;
      case 2:
        return `${pick(['while', 'until'])} ${list(d + 1)}; do ${list(d + 1)}${sep()}done`;
      case 3:
        return `case ${pick(['"$X"', '$1', 'a', '"${X}-${Y}"'])} in${sep()}${pick(['a', '(a', 'a|b', '"x y"', 'Linux*'])}) ${list(d + 1)};;${sep()}${pick(['*', 'b', '?'])}) ${rnd(3) ? list(d + 1) : ''}${pick([';;', ''])}${sep()}esac`;
      case 4:
        return `(${list(d + 1)})`;
      case 5:
        return `{ ${list(d + 1)}; }`;
      case 6:
        return `${pick(['f', 'g_1', 'function h', 'function k()'])}${pick(['()', ' ()', ''])} {${sep()}${list(d + 1)}${sep()}}`;
      case 7:
        return `[[ ${pick(['-n "$X"', '-f x', '"$X" == y*', '$X != "$(z)"', '! -z $Y', 'a', '-n "$(git status)"', '$X -eq 1'])}${rnd(2) ? pick([' && -d d', ' || "$Y" = 1']) : ''} ]]`;
      case 10:
      case 11:
        return `cat ${pick(['<<EOF', "<<'EOF'", '<<-EOF', '<<"E F"', '<< EOF', '<<\\EOF', '<<E$X'])}${pick([' | sort', ' > f', '', ' && x'])}\n${pick(['body $X', '$(date)', '\tx', 'a\\\nb', '`x`', "'q'", '${X:-y}', '$1 ${Y}'])}\n${pick(['EOF', '\tEOF', 'EOF ', 'E F', 'EOF'])}`;
      case 8:
        return `! ${simple(d)}`;
      case 9:
        return pick(['export', 'local', 'readonly', 'declare -x']) + ' ' + pick(['A=1', 'B=$A', 'C', 'D=$(d)', 'E="$A b"', 'F= G=2', 'H=(a b)', '$(e)', 'I+=1']);
      case 12:
        return `${pick(['A', 'B'])}${pick(['=', '+='])}(${pick(['', 'a', '"$@"', 'x $(y) \'z\'', '\n  a # c\n  b\n', '[k]=v', 'a)'])})${pick(['', ' C=1', ' cmd'])}`;
      case 13:
        return `[[ ${pick(['$X', '"$R"'])} =~ ${pick(['^v[0-9]+$', '(a|b)c', '"$Y".*', '$(z)', 'a b', ')'])} ]]`;
      case 14:
        return `((${pick(['i++', 'x = y + 1', '$X != 0', 'a == b', '++n', 'i % 2', ' a ', 'a ? b : c', 'a, b', '1++', '$(c) + 1', 'a = ', '', '${N} * $1', 'n += 2'])}))${pick(['', ' > f', ' && x', ' || y', 'z'])}`;
      case 15:
        return `for ((${pick(['i = 0', '', 'i=1', 'i = $(a)'])}; ${pick(['i < 3', '', 'i <= $N', 'i < ${#A}'])}; ${pick(['i++', '', 'i += 2', '--i', 'i ++'])}))${pick(['; do ', '\ndo\n', ' do ', ';do '])}${list(d + 1)}${sep()}done`;
      default:
        return simple(d);
    }
  };
  const andor = (d: number): string => {
    let s = cmd(d) + (rnd(8) === 0 ? pick([' > out', ' 2>&1', ' < in', ' | sort', ' >> "$O"']) : '');
    const n = rnd(d ? 2 : 3);
    for (let i = 0; i < n && d < 3; i++) s += pick([' && ', ' || ', ' | ', ' &&\n  ', ' |\n']) + cmd(d + 1);
    return s;
  };
  const list = (d: number, max = 2): string => {
    const n = 1 + rnd(max);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(andor(d));
    return out.join(pick(['; ', '\n', ' & ', ';\n']));
  };
  return (damaged) => {
    const lines: string[] = [];
    for (let i = 0, n = 1 + rnd(4); i < n; i++) lines.push(rnd(3) ? list(0) : simple(0));
    const t = lines.join('\n') + (rnd(2) ? '\n' : '');
    if (!damaged) return t;
    const i = rnd(t.length + 1);
    return rnd(2) ? t.slice(0, i) + t.slice(i + 1 + rnd(3)) : t.slice(0, i) + pick([';', ')', '(', 'fi', ' done ', '"', '}', '\n', ';;', 'then ', '&&']) + t.slice(i);
  };
}

describe('fast path shape', () => {
  it('reads plain lines itself and leaves control syntax to the full parser', () => {
    expect(fastLine('deno run -A x.ts && echo ok\nnext', 0)?.end).toBe(28);
    expect(fastLine('if x; then y; fi\n', 0)).toBeUndefined();
    expect(fastLine('cat <<EOF\n', 0)).toBeUndefined();
    expect(fastLine('echo $(date)\n', 0)).toBeUndefined();
  });
});

describe('linear in time and memory', () => {
  it('200,000 lines of `echo a` (1.4 MB) are read by the fast path without the full parser', () => {
    const text = 'echo a\n'.repeat(200_000);
    const chunks = shellStats.fullChunks;
    const r = read(text, 'auto');
    expect(r.commands.length).toBe(200_000);
    expect(shellStats.fullChunks).toBe(chunks);
    expect(r.commands[199_999]!.span).toEqual({ file: 't.sh', line: 200_000, column: 1, endLine: 200_000, endColumn: 7 });
  });

  it('a construct is given to the full parser with only the lines it needs', () => {
    // (an arithmetic increment: a construct the compound reader leaves to mvdan/sh)
    const text = `${'echo a\n'.repeat(1000)}if x; then\n  deno run -A $((y++))\nfi\n${'echo b\n'.repeat(1000)}`;
    const chars = shellStats.fullChars;
    const r = read(text, 'auto');
    expect(r.commands.length).toBe(2002); // `x` and `deno run` inside the `if`
    // the `if … fi` lines once (its end found by constructLines), no incomplete retries
    expect(shellStats.fullChars - chars).toBe('if x; then\n  deno run -A $((y++))\nfi\n'.length);
  });

  it('guesses where a construct ends, and the full parser still decides', () => {
    expect(constructLines('if x; then\n  y\nfi\necho a\n', 0)).toBe(3);
    expect(constructLines('for i in a b; do\n  case $i in\n    a) echo "done fi";;\n    b|c) echo \'esac\';;\n  esac\ndone\nnext\n', 0)).toBe(6);
    expect(constructLines('f() {\n  ( cd x &&\n    y )\n}\nz\n', 0)).toBe(4);
    expect(constructLines('echo "a\nb" $(\n  date\n)\nz\n', 0)).toBe(4);
    expect(constructLines('cat <<EOF\nx\nEOF\n', 0)).toBe(1); // here-documents: the doubling
    const texts = [
      'if x; then\n  y\nfi\necho a\nif z; then\n  w\nfi',
      'echo for x\nif a; then b; fi\nc',
      'while read l; do\n  echo "$l \\\n  more"\ndone < f\nX=1 deno run $X',
      'case $x in\n  a) deno run -A a ;;\n  (b) echo b ;;\nesac\necho $x',
      'if a; then\n  cat <<EOF\nfi\nEOF\nfi\necho after',
      'echo "unclosed\nif x; then\ny',
      'if a; then\n  b\nfi extra )\necho c',
      'f() { echo a; }\n{ echo b; } > o\n(echo c) && d\n`e`\n$(f)',
    ];
    for (const t of texts) agree(t);
  });
});

describe('expansion budget', () => {
  it('a variable of 20,000 paths used on 2,000 lines stops expanding when the budget is spent, and says why', () => {
    const paths = Array.from({ length: 20_000 }, (_, i) => `/srv/data/dir${i}`).join(':');
    const text = `P=${paths}\n${'deno run --allow-read=$P main.ts\n'.repeat(2_000)}`;
    const r = read(text, 'auto');
    expect(r.commands.length).toBe(2_000);
    const expanded = r.commands.filter((c) => !c.argv[2]!.dynamic).length;
    expect(expanded).toBe(Math.floor(EXPANSION_BUDGET / paths.length));
    const last = r.commands[1_999]!.argv[2]!;
    expect(last.value).toBe('--allow-read=$P');
    expect(dynamicText(last.dynamic!)).toContain('expansion budget');
    const total = r.commands.reduce((n, c) => n + c.argv.reduce((m, t) => m + t.value.length, 0), 0);
    expect(total).toBeLessThan(EXPANSION_BUDGET + 200_000);
  });

  it('one budget object is shared by the texts of a file', () => {
    const budget = { left: 10 };
    const a = read('X=abcdefgh\necho $X $X', 'auto', { budget });
    expect(a.commands[0]!.argv.map((t) => t.value)).toEqual(['echo', 'abcdefgh', '$X']);
    expect(budget.left).toBe(2);
  });
});
