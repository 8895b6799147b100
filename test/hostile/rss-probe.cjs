// Preloaded into the CLI by the hostile matrix when /usr/bin/time is missing: writes the
// process's peak resident set size (KiB) where PERMLINT_RSS_FILE says, at exit. On Linux that is
// VmHWM: rusage's maxRSS keeps the RSS of the image before exec, here the test runner's.
const peakKb = () => {
  try {
    const m = /^VmHWM:\s*(\d+)/m.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    /* not Linux, or not readable */
  }
  return process.resourceUsage().maxRSS;
};
process.on('exit', () => {
  try {
    require('node:fs').writeFileSync(process.env.PERMLINT_RSS_FILE, `${peakKb()}\n`);
  } catch {
    /* a read-only permission model: no figure */
  }
});
