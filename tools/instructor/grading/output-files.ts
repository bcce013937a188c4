/**
 * Writing the reports into the output folder (--out). A write that fails (a
 * full disk, a quota, a read-only mount) throws an OutputWriteError that says
 * which file and what it was to hold: the system's own error names neither
 * ("ENOSPC: no space left on device, write"). Such a failure is the
 * machine's, not a submission's, and leaves the output incomplete: the
 * grader stops and empties the folder (abandonOutput), so that no partial
 * report passes for a complete one.
 */
import fs from 'node:fs';
import path from 'node:path';

export class OutputWriteError extends Error {
  override name = 'OutputWriteError';

  constructor(
    readonly file: string,
    readonly what: string,
    cause: unknown,
  ) {
    // (An error of the file system may come from another realm than this module's Error: its message is read as is.)
    const message = (cause as { message?: unknown } | null)?.message;
    super(`could not write ${what} to ${file}: ${typeof message === 'string' ? message : String(cause)}`, { cause });
  }
}

/** Writes one report file; `what` says what it holds ("the summary of alice"). */
export function writeOutputFile(file: string, data: string | Buffer, what: string): void {
  try {
    fs.writeFileSync(file, data);
  } catch (error) {
    throw new OutputWriteError(file, what, error);
  }
}

/** Creates a folder of the output (and its parents). */
export function makeOutputFolder(dir: string, what: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new OutputWriteError(dir, what, error);
  }
}

/** Removes everything in a folder (links removed, never followed); whether it is empty now. */
export function emptyFolder(dir: string): boolean {
  try {
    for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    return fs.readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

/** After a failed write: empties the output folder, and says what failed and what became of the folder. */
export function abandonOutput(out: string, error: OutputWriteError): string {
  const emptied = emptyFolder(out);
  return (
    `${error.message}. No report of this run is kept: ` +
    (emptied
      ? `the output folder ${out} was emptied, as its reports were incomplete.`
      : `the output folder ${out} is incomplete and could not be emptied: do not use its reports.`) +
    ' Free space (or fix the cause) and grade again.'
  );
}
