/**
 * runit run scripts (`service/<name>/run`, `sv/<name>/run`, their `log/run`): shell scripts that
 * runsv starts as root, in the service's folder. Read through the shell parser (deployment
 * context); `chpst -u user` / `setuidgid user` in front of the program switch the user (a wrapper
 * the command reader sees through) and are recorded as the service's user setting, as written
 * (the container semantics decide what it means).
 */
import { MappedText } from '../text.js';
import { addShellText } from './commands.js';
import { dirOf, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

export const runitSource: Source = {
  ...head('runit'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const kind = ctx.contextFor(file.path, 'deployment');
    const service = dirOf(file.path).replace(/\/log$/, '');
    const name = service.slice(service.lastIndexOf('/') + 1);
    const firstLine = file.text.search(/\r?\n|$/);
    addShellText(
      MappedText.verbatim(file.index, 0, file.text.length),
      {
        origin: { file: file.path, span: file.index.span(0, firstLine), source: 'runit', name },
        // a chpst -u / setuidgid wrapper in front of the program records the user it switches to
        context: { kind, cwd: dirOf(file.path), container: { platform: 'runit' } },
        id: `${file.path}#run`,
        shell: { trackAssignments: true },
      },
      ctx,
    );
  },
};
