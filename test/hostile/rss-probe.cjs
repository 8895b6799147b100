// Preloaded into the CLI by the hostile matrix when /usr/bin/time is missing: writes the
// process's peak resident set size (KiB) where PERMLINT_RSS_FILE says, at exit.
process.on('exit', () => {
  try {
    require('node:fs').writeFileSync(process.env.PERMLINT_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    /* a read-only permission model: no figure */
  }
});
