/**
 * A submission's content hash, for `--since`: what the grader could read of
 * it (every entry under its kata folders: paths, file bytes, link targets),
 * so that any change a grading could see changes the hash.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { findKatasFolder } from '../workspace';

const KATA_FOLDER = /^\d\d-[a-z0-9-]+$/;

export function contentHash(submission: string): string {
  const hash = crypto.createHash('sha256');
  let katas: string;
  try {
    katas = findKatasFolder(submission);
  } catch (error) {
    return `sha256:none:${crypto.createHash('sha256').update(String(error)).digest('hex').slice(0, 16)}`;
  }
  const entries = fs
    .readdirSync(katas, { withFileTypes: true })
    .filter((e) => e.isDirectory() && KATA_FOLDER.test(e.name))
    .flatMap((e) => [e, ...fs.readdirSync(path.join(katas, e.name), { recursive: true, withFileTypes: true })])
    .map((e) => path.relative(katas, path.join(e.parentPath, e.name)))
    .sort();
  for (const relative of entries) {
    const full = path.join(katas, relative);
    const stat = fs.lstatSync(full);
    // NUL separates fields: it cannot occur in a path.
    if (stat.isSymbolicLink()) hash.update(`L\0${relative}\0${fs.readlinkSync(full)}\0`);
    else if (stat.isFile()) hash.update(`F\0${relative}\0${stat.size}\0`).update(fs.readFileSync(full)).update('\0');
    else if (stat.isDirectory()) hash.update(`D\0${relative}\0`);
    else hash.update(`O\0${relative}\0`);
  }
  return `sha256:${hash.digest('hex')}`;
}
