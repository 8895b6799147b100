/**
 * Progress on stderr for long scans: only on a terminal, only for human formats, one line that
 * is rewritten in place and erased when the scan ends. Never written into a report.
 */
export interface Progress {
  update(message: string): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

export function createProgress(enabled: boolean, write: (s: string) => void): Progress {
  if (!enabled) return SILENT;
  let shown = false;
  return {
    update(message) {
      write(`\r\x1b[2Kpermlint: ${message}`);
      shown = true;
    },
    done() {
      if (shown) write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** Whether a scan should show progress: stderr is a terminal, the format is for people, not in CI. */
export function progressWanted(o: { stderrIsTTY: boolean; format: string; machineFormat: boolean; env: NodeJS.ProcessEnv; quiet: boolean }): boolean {
  return o.stderrIsTTY && !o.machineFormat && !o.quiet && !o.env.CI && o.env.TERM !== 'dumb';
}
