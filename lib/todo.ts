/**
 * What a stub throws until the learner fills it in: names the kata, the task
 * and the README to read, so the first failure teaches instead of puzzling.
 */
export class KataTodoError extends Error {
  override name = 'KataTodoError';
}

export function todo(kataFolder: string, task: number, what: string): never {
  const kataNumber = kataFolder.slice(0, 2);
  const error = new KataTodoError(
    `TODO: kata ${kataNumber}, task ${task}: ${what} is not written yet. ` +
      `Read katas/${kataFolder}/README.md (task ${task}); hints in katas/${kataFolder}/hints.md.`,
  );
  // Start the stack at the stub's line, so jest's code frame shows the learner's file.
  // (V8's captureStackTrace, typed here so that kata files type-check without Node's types.)
  (Error as { captureStackTrace?: (target: object, constructorOpt?: unknown) => void }).captureStackTrace?.(error, todo);
  throw error;
}
