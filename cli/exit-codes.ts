/** The exit codes CI gates on; the README documents them. */
export const EXIT = {
  /** Every scenario that ran passed (known deviations aside). */
  CONFORMING: 0,
  /** A scenario failed or broke, an expected failure passed, or no scenario ran. */
  NOT_CONFORMING: 1,
  /** Bad command line, or no usable implementation to test. */
  USAGE: 2,
} as const;

/** A problem the user must fix before anything can run; shown as one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
