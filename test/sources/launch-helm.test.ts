import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { brief, FIXTURES, lintFixture, runMain } from '../helpers.js';
import { maskHelm } from '../../src/sources/helm.js';

const cliLines = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { rule: string; file: string; line: number; column: number; level: string }[] }).findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.level}`);

describe('Helm chart templates (fixtures/launch-helm)', () => {
  it('masks `{{ … }}` and reads the templates of a chart as manifests, in the deployment context', async () => {
    const { findings, model } = await lintFixture('launch-helm');
    expect(brief(findings)).toEqual([
      // the `if` branch of a multi-document template: `--allow-all` when .Values.debug is set
      'allow-all charts/api/templates/deployment.yaml:18:15 error',
      // the CronJob's args are `{{- toYaml .Values.jobArgs }}` on their own line: decided at render time
      'unresolved-value charts/api/templates/deployment.yaml:40:17 note',
      // a template inside a grant: unknown, never guessed
      'unresolved-value charts/api/templates/worker.yaml:12:75 note',
      // a `sh -c` script whose text holds a template is not read as shell: said, not dropped
      'unresolved-value charts/api/templates/worker.yaml:40:34 note',
      // `templates/` with no Chart.yaml above it: not a chart, read as a manifest (render-first note)
      'unresolved-value docs/templates/example.yaml:5:9 note',
    ]);
    expect(findings.find((f) => f.ruleId === 'allow-all')!.context).toBe('deployment');
    expect(findings.find((f) => f.span.file.endsWith('worker.yaml'))!.message).toContain('Helm template {{ .Values.envPrefix }}');
    expect(findings.find((f) => f.span.line === 40)!.message).toContain('`args` comes from the Helm template `{{- toYaml .Values.jobArgs | nindent 16 }}`');
    // look-alikes stay silent: the `else` branch, a scoped grant, an echo, a ConfigMap's data, a template comment, NOTES.txt and _helpers.tpl
    expect(model.invocations.filter((i) => i.origin.source === 'helm').map((i) => `${i.origin.name} ${i.context.kind}`)).toEqual([
      'Deployment/{{ .Release.Name }}-api/api deployment',
      'Deployment/{{ .Release.Name }}-worker/worker deployment',
      'Job/{{ .Release.Name }}-seed/report deployment', // a template-free sh -c script is read (scoped: silent)
    ]);
    const api = model.invocations.find((i) => i.origin.name?.endsWith('-api/api'))!;
    expect(api.argv.map((a) => a.value)).toEqual(['run', '--allow-all', 'main.ts']);
  });

  it('keeps every span: actions on their own lines become blanks, actions inside values placeholders of the same length', () => {
    const text = 'a:\n  {{- if .Values.x }}\n  b: "{{ .Values.y }}:1"\n  {{- else }}\n  b: 2\n  {{- end }}\n';
    const m = maskHelm(text);
    expect(m.text.length).toBe(text.length);
    expect(m.text.split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    expect(m.text.split('\n')[1]!.trim()).toBe('');
    expect(m.text.split('\n')[4]!.trim()).toBe(''); // the else branch
    expect(m.text.split('\n')[2]!.startsWith('  b: "\ue001')).toBe(true);
    expect(m.actions.map((a) => `${a.ownLine} ${a.output}`)).toEqual(['true false', 'false true', 'true false', 'true false']);
  });

  it('the CLI reports the chart with exit code 1, and lints a template named explicitly', async () => {
    const dir = resolve(FIXTURES, 'launch-helm');
    const all = await runMain(['--format', 'json', '--persona', 'pedantic', '.'], dir);
    expect(all.code).toBe(1);
    expect(cliLines(all.stdout)).toEqual([
      'allow-all charts/api/templates/deployment.yaml:18:15 error',
      'unresolved-value charts/api/templates/deployment.yaml:40:17 note',
      'unresolved-value charts/api/templates/worker.yaml:12:75 note',
      'unresolved-value charts/api/templates/worker.yaml:40:34 note',
      'unresolved-value docs/templates/example.yaml:5:9 note',
    ]);
    const named = await runMain(['--format', 'json', '--persona', 'pedantic', 'charts/api/templates/worker.yaml'], dir);
    expect(named.code).toBe(0);
    expect(cliLines(named.stdout)).toEqual(['unresolved-value charts/api/templates/worker.yaml:12:75 note', 'unresolved-value charts/api/templates/worker.yaml:40:34 note']);
  });
});
