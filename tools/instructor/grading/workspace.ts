/**
 * A submission is copied in, never followed: from its kata folders
 * (NN-slug), only regular files named like a kata module (*.ts, at most
 * MAX_FILE_BYTES) are read, each opened without following links; symlinks,
 * devices, other files and subfolders are left out and listed as notes.
 * Reading is bounded too (entries looked at, files and bytes kept), so that a
 * folder of a million files costs the grader no more than its caps. The copy
 * lands in a scratch folder of the grader's; the submission itself is only
 * read. The content hash of `--since` reads it the same way (readSubmission).
 * lib/ is copied once per grading run without tools/ and models/: kata code
 * imports ../../lib/..., and needs nothing else of the repository.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/plot-files';
import { transpileTree } from './transpile';

export const MAX_FILE_BYTES = 1024 * 1024;
/** Entries looked at in the katas folder, and in each kata folder; kata folders, and bytes, kept. */
export const MAX_ENTRIES = 1000;
export const MAX_FOLDER_ENTRIES = 256;
export const MAX_KATA_FOLDERS = 32;
export const MAX_SUBMISSION_BYTES = 8 * 1024 * 1024;
const MAX_NOTES = 50;
const KATA_FOLDER = /^\d\d-[a-z0-9-]+$/;
const KATA_FILE = /^[A-Za-z0-9_-]+\.ts$/;
/** What of lib/ kata code must not see: the reference models the tests load themselves. */
const LIB_LEFT_OUT = ['models'];

/** Thrown when a folder is no submission at all: the learner's doing, not the grader's. */
export class NoSubmissionError extends Error {
  override name = 'NoSubmissionError';
}

function isRealDirectory(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Up to `max` entries of a folder, sorted by name, and whether there were more. */
function someEntries(dir: string, max: number): { entries: fs.Dirent[]; more: boolean } {
  const handle = fs.opendirSync(dir);
  const entries: fs.Dirent[] = [];
  let more = false;
  try {
    for (let e = handle.readSync(); e !== null; e = handle.readSync()) {
      if (entries.length === max) {
        more = true;
        break;
      }
      entries.push(e);
    }
  } finally {
    handle.closeSync();
  }
  return { entries: entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), more };
}

/** Accepts a katas folder or a folder that holds one (a clone, an unzipped submission). */
export function findKatasFolder(submission: string): string {
  if (!isRealDirectory(submission)) throw new NoSubmissionError(`${submission} is not a folder.`);
  const inner = path.join(submission, 'katas');
  if (isRealDirectory(inner)) return inner;
  if (someEntries(submission, MAX_ENTRIES).entries.some((e) => KATA_FOLDER.test(e.name))) return submission;
  throw new NoSubmissionError(`${submission} holds no katas: expected a katas/ folder or NN-name kata folders.`);
}

/** Reads a regular file without following a link, refusing one over the size cap. */
export function readRegularFile(file: string, maxBytes = MAX_FILE_BYTES): Buffer | string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch {
    return 'is a link or cannot be opened';
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return 'is not a regular file';
    if (stat.size > maxBytes) return `is larger than ${maxBytes / 1024} KiB`;
    const content = Buffer.alloc(stat.size);
    fs.readSync(fd, content, 0, stat.size, 0);
    return content;
  } finally {
    fs.closeSync(fd);
  }
}

export interface SubmissionContent {
  /** Every entry looked at, in order, as "kind path" (a kind: dir, file, link, other): what, besides the files, can change the reports. */
  entries: string[];
  /** The kata folders kept. */
  folders: string[];
  /** The files kept, as "NN-slug/name.ts". */
  files: { path: string; content: Buffer }[];
  /** What was left out, and why (for the report). */
  notes: string[];
}

function kindOf(entry: fs.Dirent): string {
  return entry.isSymbolicLink() ? 'link' : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
}

/** The kata folders and files of a katas folder, as the grader reads them (bounded). */
export function readSubmission(katasFolder: string): SubmissionContent {
  const content: SubmissionContent = { entries: [], folders: [], files: [], notes: [] };
  const note = (text: string) => content.notes.push(text);
  let bytes = 0;
  const top = someEntries(katasFolder, MAX_ENTRIES);
  if (top.more) note(`the katas folder has more than ${MAX_ENTRIES} entries: only ${MAX_ENTRIES} of them were looked at.`);
  for (const folder of top.entries) {
    if (!KATA_FOLDER.test(folder.name)) continue;
    content.entries.push(`${kindOf(folder)} ${folder.name}`);
    if (!folder.isDirectory()) {
      note(`${folder.name} is not a folder (a link?): left out.`);
      continue;
    }
    if (content.folders.length === MAX_KATA_FOLDERS) {
      note(`${folder.name} was left out: at most ${MAX_KATA_FOLDERS} kata folders are read.`);
      continue;
    }
    content.folders.push(folder.name);
    const inner = someEntries(path.join(katasFolder, folder.name), MAX_FOLDER_ENTRIES);
    if (inner.more) note(`${folder.name} has more than ${MAX_FOLDER_ENTRIES} entries: only ${MAX_FOLDER_ENTRIES} of them were looked at.`);
    for (const entry of inner.entries) {
      const where = `${folder.name}/${entry.name}`;
      content.entries.push(`${kindOf(entry)} ${where}`);
      if (!KATA_FILE.test(entry.name) || entry.name.endsWith('.d.ts')) {
        if (/\.(js|cjs|mjs|json|node)$/.test(entry.name)) note(`${where} was ignored: only the .ts files of a kata are graded.`);
        continue;
      }
      const file = readRegularFile(path.join(katasFolder, folder.name, entry.name));
      if (typeof file === 'string') note(`${where} ${file}: left out.`);
      else if (bytes + file.length > MAX_SUBMISSION_BYTES) note(`${where} was left out: the submission's files may take ${MAX_SUBMISSION_BYTES / 2 ** 20} MiB together.`);
      else {
        bytes += file.length;
        content.files.push({ path: where, content: file });
      }
    }
  }
  if (content.notes.length > MAX_NOTES) content.notes.splice(MAX_NOTES, content.notes.length - MAX_NOTES, `and ${content.notes.length - MAX_NOTES} more notes.`);
  return content;
}

/** Copies a submission's kata files (TypeScript) into `into`/source; returns that folder and the notes. */
export function copySubmission(submission: string, into: string): { sourceDir: string; notes: string[] } {
  const { folders, files, notes } = readSubmission(findKatasFolder(submission));
  const sourceDir = path.join(into, 'source');
  fs.mkdirSync(sourceDir, { mode: 0o755 });
  for (const folder of folders) fs.mkdirSync(path.join(sourceDir, folder), { mode: 0o755 });
  for (const file of files) fs.writeFileSync(path.join(sourceDir, file.path), file.content, { mode: 0o644, flag: 'wx' });
  return { sourceDir, notes };
}

/** lib/ without models/, regular files only, readable by the sandbox's unprivileged user. */
export function copyLibrary(into: string): string {
  const libDir = path.join(into, 'lib');
  const source = path.join(REPO_ROOT, 'lib');
  fs.cpSync(source, libDir, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(source, src).split(path.sep);
      return !LIB_LEFT_OUT.includes(rel[0] ?? '') && !fs.lstatSync(src).isSymbolicLink();
    },
  });
  transpileTree(libDir);
  makeReadable(libDir);
  return libDir;
}

/** The kata host and what it imports (child/), transpiled, for the sandbox. */
export function copyHost(into: string): string {
  const hostDir = path.join(into, 'grader');
  fs.cpSync(path.join(__dirname, 'child'), hostDir, { recursive: true });
  transpileTree(hostDir);
  makeReadable(hostDir);
  return hostDir;
}

export function makeReadable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) fs.chmodSync(full, 0o755);
    else if (entry.isFile()) fs.chmodSync(full, 0o644);
  }
}

export function makeScratch(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-grade-'));
  // Readable by the sandbox's user where it is reachable at all (grading as root binds it to a stage: sandbox.ts).
  fs.chmodSync(root, 0o755);
  return root;
}

/**
 * Creates the output folder fresh. A non-empty one (or a link, or a file) is
 * refused unless `force`, and then removed first: links in it are removed,
 * never followed.
 */
export function freshOutputFolder(out: string, force: boolean): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(out);
  } catch {
    stat = undefined;
  }
  if (stat) {
    const empty = stat.isDirectory() && fs.readdirSync(out).length === 0;
    if (!empty && !force) {
      throw new Error(`${out} already exists and is not an empty folder: choose another --out, or add --force to replace it.`);
    }
    fs.rmSync(out, { recursive: true, force: true });
  }
  fs.mkdirSync(out, { recursive: true });
}
