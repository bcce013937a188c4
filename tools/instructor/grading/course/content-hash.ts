/**
 * A submission's content hash, for `--since`: everything of it that can change
 * its reports, read the way the grader's copy reads it (workspace.ts,
 * readSubmission): every entry of its kata folders looked at, with its kind,
 * the bytes of every file kept, and the notes on what was left out. Each
 * field goes in with its length in front, so that two different contents can
 * never hash the same input (bytes of a file cannot pass for the entries after
 * it, as NUL separators let them).
 */
import crypto from 'node:crypto';
import { findKatasFolder, readSubmission } from '../workspace';

/** The version of the encoding: an output hashed another way is never taken as unchanged. */
const FORMAT = 'sha256v2';

export function contentHash(submission: string): string {
  let katas: string;
  try {
    katas = findKatasFolder(submission);
  } catch (error) {
    return `${FORMAT}:none:${crypto.createHash('sha256').update(String(error)).digest('hex').slice(0, 16)}`;
  }
  const { entries, files, notes } = readSubmission(katas);
  const hash = crypto.createHash('sha256');
  const field = (bytes: Buffer | string) => {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(buffer.length));
    hash.update(length).update(buffer);
  };
  for (const [label, list] of [['entries', entries], ['notes', notes]] as const) {
    field(`${label}:${list.length}`);
    for (const item of list) field(item);
  }
  field(`files:${files.length}`);
  for (const file of files) {
    field(file.path);
    field(file.content);
  }
  return `${FORMAT}:${hash.digest('hex')}`;
}
