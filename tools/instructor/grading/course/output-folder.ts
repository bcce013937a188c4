/** Copying reports between grading outputs without following links, and run.json. */
import fs from 'node:fs';
import path from 'node:path';
import { writeOutputFile } from '../output-files';

/** Copies a folder of reports: regular files and folders only, never a link. */
export function copyReports(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copyReports(source, path.join(to, entry.name));
    else if (entry.isFile()) fs.copyFileSync(source, path.join(to, entry.name));
  }
}

/** run.json: what differs from one grading to the next (timings, what was reused); kept out of the compared reports. */
export const RUN_FILE = 'run.json';

export function writeRunFile(out: string, run: unknown): void {
  writeOutputFile(path.join(out, RUN_FILE), `${JSON.stringify(run, null, 2)}\n`, "the run's timings");
}
