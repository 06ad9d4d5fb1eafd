/**
 * Expected failures of the content tools: each carries a one-line message
 * staff can act on and the exit code the CLI should end with. Anything else
 * that is thrown is a bug and is reported as such.
 */

/** Exit codes of `npm run content`, as documented in its `--help`. */
export const EXIT = {
  /** Done; content valid (warnings may have been listed). */
  ok: 0,
  /** The content or package has problems; nothing was changed. */
  invalid: 1,
  /** The command could not run: wrong arguments, a folder that cannot be used, an unexpected fault. */
  usage: 2,
} as const;

/** A failure we expected and can explain in one line. */
export class ContentError extends Error {
  override readonly name = 'ContentError';
  constructor(
    message: string,
    /** The CLI exit code: 1 for bad content, 2 for a command that cannot run. */
    readonly exitCode: 1 | 2 = EXIT.invalid,
  ) {
    super(message);
  }
}
