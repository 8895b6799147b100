/**
 * The names of the output formats, without the reporters themselves: `permlint --help` lists
 * them without loading any reporter. Adding a reporter to REPORTERS (./index.ts) means adding
 * its name here (a test holds the two lists together).
 */
export const FORMATS = ['stylish', 'json', 'sarif', 'github', 'markdown', 'junit', 'checkstyle', 'gitlab'] as const;

/** Formats read by programs: never mixed with progress output or colour. */
export const MACHINE_FORMATS = new Set(['json', 'sarif', 'junit', 'github', 'markdown', 'checkstyle', 'gitlab']);
