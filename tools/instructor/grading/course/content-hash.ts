/**
 * A submission's content hash, for `--since`: everything of it that can change
 * its reports, read the way the grader's copy reads it (grading/workspace.ts):
 * the entries of its kata folders, with their kind, and the bytes of the
 * regular files within the size cap, opened without following links. Other
 * entries count by name and kind only, as the grader only names them in notes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { findKatasFolder, readRegularFile } from '../workspace';

const KATA_FOLDER = /^\d\d-[a-z0-9-]+$/;

function kind(file: string): string {
  const stat = fs.lstatSync(file);
  return stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
}

export function contentHash(submission: string): string {
  let katas: string;
  try {
    katas = findKatasFolder(submission);
  } catch (error) {
    return `sha256:none:${crypto.createHash('sha256').update(String(error)).digest('hex').slice(0, 16)}`;
  }
  const hash = crypto.createHash('sha256');
  // NUL separates fields: it cannot occur in a file name.
  for (const folder of fs.readdirSync(katas).filter((f) => KATA_FOLDER.test(f)).sort()) {
    const full = path.join(katas, folder);
    const folderKind = kind(full);
    hash.update(`${folderKind}\0${folder}\0`);
    if (folderKind !== 'dir') continue;
    for (const entry of fs.readdirSync(full).sort()) {
      const file = path.join(full, entry);
      const entryKind = kind(file);
      hash.update(`${entryKind}\0${folder}/${entry}\0`);
      if (entryKind !== 'file') continue;
      const content = readRegularFile(file);
      hash.update(typeof content === 'string' ? `unread\0${content}\0` : content).update('\0');
    }
  }
  return `sha256:${hash.digest('hex')}`;
}
