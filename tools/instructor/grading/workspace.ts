/**
 * A submission is copied in, never followed: from its kata folders
 * (NN-slug), only regular files named like a kata module (*.ts, at most
 * MAX_FILE_BYTES) are read, each opened without following links; symlinks,
 * devices, other files and subfolders are left out and listed as notes. The
 * copy lands in a scratch folder of the grader's; the submission itself is
 * only read. lib/ is copied once per grading run without tools/ and models/:
 * kata code imports ../../lib/..., and needs nothing else of the repository.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/plot-files';
import { transpileTree } from './transpile';

export const MAX_FILE_BYTES = 1024 * 1024;
const KATA_FOLDER = /^\d\d-[a-z0-9-]+$/;
const KATA_FILE = /^[A-Za-z0-9_-]+\.ts$/;
/** What of lib/ kata code must not see: the reference models the tests load themselves. */
const LIB_LEFT_OUT = ['models'];

export interface CopiedSubmission {
  /** The copied katas folder. */
  katasDir: string;
  /** What was left out, and why (for the report). */
  notes: string[];
}

function isRealDirectory(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Accepts a katas folder or a folder that holds one (a clone, an unzipped submission). */
export function findKatasFolder(submission: string): string {
  if (!isRealDirectory(submission)) throw new Error(`${submission} is not a folder.`);
  const inner = path.join(submission, 'katas');
  if (isRealDirectory(inner)) return inner;
  if (fs.readdirSync(submission).some((f) => KATA_FOLDER.test(f))) return submission;
  throw new Error(`${submission} holds no katas: expected a katas/ folder or NN-name kata folders.`);
}

/** Reads a regular file without following a link, refusing one over the size cap. */
export function readRegularFile(file: string): Buffer | string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch {
    return 'is a link or cannot be opened';
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return 'is not a regular file';
    if (stat.size > MAX_FILE_BYTES) return `is larger than ${MAX_FILE_BYTES / 1024} KiB`;
    const content = Buffer.alloc(stat.size);
    fs.readSync(fd, content, 0, stat.size, 0);
    return content;
  } finally {
    fs.closeSync(fd);
  }
}

export function copySubmission(submission: string, into: string): CopiedSubmission {
  const source = findKatasFolder(submission);
  const katasDir = path.join(into, 'katas');
  fs.mkdirSync(katasDir, { recursive: true, mode: 0o755 });
  const notes: string[] = [];
  for (const folder of fs.readdirSync(source, { withFileTypes: true })) {
    if (!KATA_FOLDER.test(folder.name)) continue;
    if (!folder.isDirectory()) {
      notes.push(`${folder.name} is not a folder (a link?): left out.`);
      continue;
    }
    const target = path.join(katasDir, folder.name);
    fs.mkdirSync(target, { mode: 0o755 });
    for (const entry of fs.readdirSync(path.join(source, folder.name), { withFileTypes: true })) {
      const where = `${folder.name}/${entry.name}`;
      if (!KATA_FILE.test(entry.name) || entry.name.endsWith('.d.ts')) {
        if (/\.(js|cjs|mjs|json|node)$/.test(entry.name)) notes.push(`${where} was ignored: only the .ts files of a kata are graded.`);
        continue;
      }
      const content = readRegularFile(path.join(source, folder.name, entry.name));
      if (typeof content === 'string') notes.push(`${where} ${content}: left out.`);
      else fs.writeFileSync(path.join(target, entry.name), content, { mode: 0o644, flag: 'wx' });
    }
  }
  transpileTree(katasDir);
  makeReadable(katasDir);
  return { katasDir, notes };
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
