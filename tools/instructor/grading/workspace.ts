/**
 * A submission is copied in, never followed: from its kata folders
 * (NN-slug), only regular files named like a kata module (*.ts, at most
 * MAX_FILE_BYTES) are read, each opened without following links; symlinks,
 * devices, other files and subfolders are left out and listed as notes.
 * Reading is bounded too (entries looked at, files and bytes kept), so that a
 * folder of a million files costs the grader no more than its caps; what is
 * kept depends on names alone, this repository's kata folders and each kata's
 * own files (its stub's names) first, never on the order a file system lists
 * them. The copy
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
import { listKatas } from '../../shared/kata-list';

export const MAX_FILE_BYTES = 1024 * 1024;
/** Entries kept of the katas folder, and of each kata folder; kata folders, and bytes, kept. */
export const MAX_ENTRIES = 1000;
export const MAX_FOLDER_ENTRIES = 256;
export const MAX_KATA_FOLDERS = 32;
export const MAX_SUBMISSION_BYTES = 8 * 1024 * 1024;
/**
 * A folder is listed up to this many times its cap of entries kept, so that
 * which are kept depends on their names only (the kata's own first, then by
 * name), never on the order the file system lists them. A folder larger than
 * that keeps only the entries expected by name.
 */
export const LISTED_FACTOR = 16;
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

type Kind = 'dir' | 'file' | 'link' | 'other';

interface Entry {
  name: string;
  kind: Kind;
}

function kindOf(entry: fs.Dirent | fs.Stats): Kind {
  return entry.isSymbolicLink() ? 'link' : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
}

const byName = (a: Entry, b: Entry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export interface Listing {
  /** The entries kept: those named in `first` that exist, then the others by name, up to the cap. */
  entries: Entry[];
  /** Whether the folder was listed in full (at most LISTED_FACTOR times the cap). */
  complete: boolean;
  /** Entries listed (when complete, all the folder has). */
  listed: number;
}

/**
 * Up to `max` entries of a folder, chosen by name alone: those named in
 * `first` (the kata's own files, the kata folders) first, then the others
 * sorted. A folder of more than LISTED_FACTOR × `max` entries is not listed
 * further: only its entries named in `first` are kept.
 */
export function listEntries(dir: string, max: number, first: readonly string[] = []): Listing {
  const wanted = new Set(first);
  const limit = max * LISTED_FACTOR;
  const listed: Entry[] = [];
  let complete = true;
  const handle = fs.opendirSync(dir);
  try {
    for (let e = handle.readSync(); e !== null; e = handle.readSync()) {
      if (listed.length === limit) {
        complete = false;
        break;
      }
      listed.push({ name: e.name, kind: kindOf(e) });
    }
  } finally {
    handle.closeSync();
  }
  if (!complete) {
    const named: Entry[] = [];
    for (const name of [...wanted].sort()) {
      try {
        named.push({ name, kind: kindOf(fs.lstatSync(path.join(dir, name))) });
      } catch {
        // not there
      }
    }
    return { entries: named.slice(0, max), complete, listed: listed.length };
  }
  const entries = [...listed.filter((e) => wanted.has(e.name)).sort(byName), ...listed.filter((e) => !wanted.has(e.name)).sort(byName)].slice(0, max);
  return { entries, complete, listed: listed.length };
}

/** What a listing left out, said in a note (`own`: what it looks at first, if anything), or undefined when it kept everything. */
function listingNote(where: string, listing: Listing, max: number, own: string | undefined): string | undefined {
  if (!listing.complete) {
    return `${where} has more than ${listing.listed} entries, too many to list in full (which ones a listing gives depends on the file system): looked for by name only, ${own ?? 'nothing'} (${listing.entries.length} found); every other entry was left out.`;
  }
  const leftOut = listing.listed - listing.entries.length;
  if (leftOut <= 0) return undefined;
  return `${where} has ${listing.listed} entries, more than the ${max} looked at: ${own ? `${own} first, then the others by name` : 'the first by name'}; the last ${leftOut} by name were left out.`;
}

/** The files of each kata's stub in this repository (katas/NN-slug/*.ts): a submission's are looked at first, whatever else its folders hold. */
export function stubFiles(root = REPO_ROOT): Map<string, string[]> {
  return new Map(
    listKatas(root).map((kata) => [
      kata.folder,
      fs
        .readdirSync(path.join(root, 'katas', kata.folder))
        .filter((name) => KATA_FILE.test(name) && !name.endsWith('.d.ts'))
        .sort(),
    ]),
  );
}

/** Accepts a katas folder or a folder that holds one (a clone, an unzipped submission). */
export function findKatasFolder(submission: string, stubs = stubFiles()): string {
  if (!isRealDirectory(submission)) throw new NoSubmissionError('the submission is not a folder.');
  const inner = path.join(submission, 'katas');
  if (isRealDirectory(inner)) return inner;
  if (listEntries(submission, MAX_ENTRIES, [...stubs.keys()]).entries.some((e) => KATA_FOLDER.test(e.name))) return submission;
  let link = false;
  try {
    link = fs.lstatSync(inner).isSymbolicLink();
  } catch {
    link = false;
  }
  throw new NoSubmissionError(
    `the submission holds no katas: expected a katas/ folder or NN-name kata folders${link ? ' (its katas is a link, and links are not followed)' : ''}.`,
  );
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
    if (!stat.isFile()) return stat.isDirectory() ? 'is a folder, not a file' : 'is not a regular file';
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
  /** Kata folders and files looked at but not kept, as "NN-slug" or "NN-slug/name.ts", with why, said after "it" (so that what was left out is never said to be missing). */
  leftOut: Record<string, string>;
}

/**
 * The kata folders and files of a katas folder, as the grader reads them
 * (bounded). What is kept depends on names only: this repository's kata
 * folders and each kata's own files (`stubs`) first, then the others by
 * name; the kata's own files of every folder are read before any other file,
 * so that the byte cap never leaves one out for another's extras.
 */
export function readSubmission(katasFolder: string, stubs = stubFiles()): SubmissionContent {
  const content: SubmissionContent = { entries: [], folders: [], files: [], notes: [], leftOut: {} };
  const note = (text: string) => content.notes.push(text);
  const top = listEntries(katasFolder, MAX_ENTRIES, [...stubs.keys()]);
  const topNote = listingNote('the katas folder', top, MAX_ENTRIES, "this repository's kata folders");
  if (topNote) note(topNote);
  const folders: { name: string; entries: Entry[]; own: Set<string> }[] = [];
  for (const folder of top.entries) {
    if (!KATA_FOLDER.test(folder.name)) {
      // A kata's folder under other capitals ("01-Linear-Model"): said, not left out in silence.
      const meant = [...stubs.keys()].find((kata) => kata.toLowerCase() === folder.name.toLowerCase());
      if (meant !== undefined && !top.entries.some((e) => e.name === meant)) {
        note(`${folder.name} was left out: kata folders are named in lower case, as ${meant}.`);
        content.leftOut[meant] = `is named ${folder.name}, not ${meant} (kata folders are named in lower case)`;
      }
      continue;
    }
    content.entries.push(`${folder.kind} ${folder.name}`);
    if (folder.kind !== 'dir') {
      const why = folder.kind === 'link' ? 'is a link, and links are not followed' : 'is not a folder';
      note(`${folder.name} ${why}: left out.`);
      content.leftOut[folder.name] = why;
      continue;
    }
    if (content.folders.length === MAX_KATA_FOLDERS) {
      note(`${folder.name} was left out: at most ${MAX_KATA_FOLDERS} kata folders are read.`);
      content.leftOut[folder.name] = `was left out: at most ${MAX_KATA_FOLDERS} kata folders are read`;
      continue;
    }
    content.folders.push(folder.name);
    const own = stubs.get(folder.name) ?? [];
    const inner = listEntries(path.join(katasFolder, folder.name), MAX_FOLDER_ENTRIES, own);
    const innerNote = listingNote(folder.name, inner, MAX_FOLDER_ENTRIES, own.length > 0 ? `the kata's own ${own.length === 1 ? 'file' : 'files'} (${own.join(', ')})` : undefined);
    if (innerNote) note(innerNote);
    for (const entry of inner.entries) content.entries.push(`${entry.kind} ${folder.name}/${entry.name}`);
    folders.push({ name: folder.name, entries: inner.entries, own: new Set(own) });
  }
  let bytes = 0;
  for (const ownPass of [true, false]) {
    for (const folder of folders) {
      for (const entry of folder.entries) {
        if (folder.own.has(entry.name) !== ownPass) continue;
        const where = `${folder.name}/${entry.name}`;
        if (!KATA_FILE.test(entry.name) || entry.name.endsWith('.d.ts')) {
          // A kata module may import from its own folder only: what sits in a subfolder (or behind a link) would fail to load, unexplained.
          if (entry.kind === 'dir') note(`${where} is a folder and was left out: only the .ts files directly in a kata folder are graded.`);
          else if (entry.kind === 'link') note(`${where} is a link, and links are not followed: left out.`);
          else if (/\.(js|cjs|mjs|json|node)$/.test(entry.name)) note(`${where} was ignored: only the .ts files of a kata are graded.`);
          continue;
        }
        const file = readRegularFile(path.join(katasFolder, folder.name, entry.name));
        if (typeof file === 'string') {
          note(`${where} ${file}: left out.`);
          content.leftOut[where] = file;
        } else if (bytes + file.length > MAX_SUBMISSION_BYTES) {
          note(`${where} was left out: the submission's files may take ${MAX_SUBMISSION_BYTES / 2 ** 20} MiB together.`);
          content.leftOut[where] = `would take the submission's files past ${MAX_SUBMISSION_BYTES / 2 ** 20} MiB together`;
        } else {
          bytes += file.length;
          content.files.push({ path: where, content: file });
        }
      }
    }
  }
  if (content.notes.length > MAX_NOTES) content.notes.splice(MAX_NOTES, content.notes.length - MAX_NOTES, `and ${content.notes.length - MAX_NOTES} more notes.`);
  return content;
}

/** Copies a submission's kata files (TypeScript) into `into`/source; returns that folder, the notes, and the kata files left out. */
export function copySubmission(submission: string, into: string): { sourceDir: string; notes: string[]; leftOut: Record<string, string> } {
  const { folders, files, notes, leftOut } = readSubmission(findKatasFolder(submission));
  const sourceDir = path.join(into, 'source');
  fs.mkdirSync(sourceDir, { mode: 0o755 });
  for (const folder of folders) fs.mkdirSync(path.join(sourceDir, folder), { mode: 0o755 });
  for (const file of files) fs.writeFileSync(path.join(sourceDir, file.path), file.content, { mode: 0o644, flag: 'wx' });
  return { sourceDir, notes, leftOut };
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
