/**
 * A submission is untrusted code. It is graded in a scratch copy: its kata
 * folders copied next to a link to this repository's lib/, with a private
 * copy of the baselines. The learner's own files are never touched, and what
 * the run may reach of this repository (the committed baselines and models)
 * is fingerprinted before and checked after every kata.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../plot-files';

export interface Workspace {
  root: string;
  kataDir: string;
  baselineDir: string;
}

/** Accepts a katas folder or a folder that holds one (a clone, an unzipped submission). */
export function findKatasFolder(submission: string): string {
  const inner = path.join(submission, 'katas');
  if (fs.existsSync(inner) && fs.statSync(inner).isDirectory()) return inner;
  if (fs.existsSync(submission) && fs.readdirSync(submission).some((f) => /^\d\d-/.test(f))) return submission;
  throw new Error(`${submission} holds no katas: expected a katas/ folder or NN-name kata folders.`);
}

export function makeWorkspace(submission: string): Workspace {
  const source = findKatasFolder(submission);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-grade-'));
  const kataDir = path.join(root, 'katas');
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    if (entry.isDirectory() && /^\d\d-[a-z0-9-]+$/.test(entry.name)) {
      fs.cpSync(path.join(source, entry.name), path.join(kataDir, entry.name), { recursive: true, dereference: false });
    }
  }
  // The stubs import ../../lib/...: point that at this repository's library.
  fs.symlinkSync(path.join(REPO_ROOT, 'lib'), path.join(root, 'lib'), 'dir');
  const baselineDir = path.join(root, 'baselines');
  fs.cpSync(path.join(REPO_ROOT, 'test', 'baselines'), baselineDir, { recursive: true });
  return { root, kataDir, baselineDir };
}

export function removeWorkspace(workspace: Workspace): void {
  fs.rmSync(workspace.root, { recursive: true, force: true });
}

/** Files a submission must not change, with their contents, to check and restore. */
export class ProtectedFiles {
  private readonly saved = new Map<string, Buffer>();

  constructor(folders: string[]) {
    for (const folder of folders) {
      for (const file of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
        if (!file.isFile()) continue;
        const full = path.join(file.parentPath, file.name);
        this.saved.set(full, fs.readFileSync(full));
      }
    }
  }

  /** The files changed, removed or added since construction; each is put back. */
  checkAndRestore(folders: string[]): string[] {
    const changed: string[] = [];
    const digest = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
    for (const [file, content] of this.saved) {
      const now = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
      if (!now || digest(now) !== digest(content)) {
        changed.push(file);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
    }
    for (const folder of folders) {
      for (const file of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
        const full = path.join(file.parentPath, file.name);
        if (file.isFile() && !this.saved.has(full)) {
          changed.push(full);
          fs.rmSync(full, { force: true });
        }
      }
    }
    return changed;
  }
}
