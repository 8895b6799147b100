// Benchmark of `permlint infer` on a generated application (not a test: nothing here asserts a time).
//   npm run build && node scripts/bench-infer.mjs [modules=1000]
// Each module imports two others, reads a file through path.join of a const, reads a variable and
// fetches a host: a module graph of N modules with 3 needs each. Prints wall and CPU time per run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'permlint-bench-infer-'));
mkdirSync(join(dir, 'src'));
for (let i = 0; i < N; i++) {
  const kids = [2 * i + 1, 2 * i + 2].filter((j) => j < N);
  const padding = Array.from({ length: 40 }, (_, k) => `// padding line ${k}: lorem ipsum dolor sit amet`).join('\n');
  writeFileSync(
    join(dir, 'src', `m${i}.ts`),
    `${kids.map((j) => `import { f${j} } from "./m${j}.ts";\n`).join('')}import { join } from "node:path";
const DIR = "./data/${i % 10}";
export async function f${i}() {
${kids.map((j) => `  f${j}();\n`).join('')}  const t = await Deno.readTextFile(join(DIR, "file${i}.json"));
  const v = Deno.env.get("VAR_${i % 7}");
  if (v) await fetch(\`https://api${i % 3}.example.com/v1/items/${i}\`);
  return t.length + (v?.length ?? 0);
}
${padding}
`,
  );
}
writeFileSync(join(dir, 'main.ts'), 'import { f0 } from "./src/m0.ts";\nawait f0();\n');
// in-process (the same code path as the CLI, without Node's own start-up): wall and CPU time
const { runInferCommand } = await import('../dist/src/infer/cli.js');
for (let run = 0; run < 5; run++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let out = '';
  await runInferCommand(['infer', 'main.ts', '--format', 'json'], { cwd: dir, stdout: (x) => (out += x), stderr: (x) => process.stderr.write(x) });
  const c = process.cpuUsage(c0);
  console.log(`run ${run + 1}${run === 0 ? ' (cold: parser and table load)' : ''}: ${(performance.now() - t0).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms CPU, ${JSON.parse(out)[0].modules} modules`);
}
// the whole command, Node's start-up included (what a user waits for)
const bin = new URL('../bin/permlint.js', import.meta.url).pathname;
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'infer', 'main.ts', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  console.log(`permlint infer (CLI) run ${run + 1}: ${(performance.now() - t0).toFixed(0)} ms wall, exit ${r.status}, ${JSON.parse(r.stdout)[0].modules} modules`);
}
rmSync(dir, { recursive: true, force: true });
