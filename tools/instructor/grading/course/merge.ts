/**
 * Merging shard outputs into one class report. Refuses shards graded under
 * different conditions (commit, settings, key, class), a shard missing or
 * given twice, and a submission missing or in two shards; otherwise the
 * result is what grading the class unsharded writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeClassReports } from './class-reports';
import { type CourseManifest, conditionMismatch, readManifest, writeManifest } from './manifest';
import { copyReports, RUN_FILE, writeRunFile } from './output-folder';
import { selectShard, WHOLE_CLASS } from './shard';

interface ShardOutput {
  dir: string;
  manifest: CourseManifest;
}

export function checkShards(shards: ShardOutput[]): void {
  const first = shards[0];
  if (!first) throw new Error('No shard to merge: give the shard output folders.');
  for (const other of shards.slice(1)) {
    const mismatch = conditionMismatch(first.manifest, other.manifest);
    if (mismatch) throw new Error(`${other.dir} was graded under other conditions than ${first.dir}, refusing to merge: ${mismatch}.`);
  }
  const count = first.manifest.shard.count;
  const byIndex = new Map<number, string>();
  for (const { dir, manifest } of shards) {
    if (manifest.shard.count !== count) {
      throw new Error(`${dir} is shard ${manifest.shard.index}/${manifest.shard.count} but ${first.dir} is one of ${count}: shards of different cuts do not merge.`);
    }
    const twice = byIndex.get(manifest.shard.index);
    if (twice) throw new Error(`Shard ${manifest.shard.index}/${count} is given twice (${twice} and ${dir}).`);
    byIndex.set(manifest.shard.index, dir);
  }
  const missingShards = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missingShards.length > 0) throw new Error(`Shard${missingShards.length > 1 ? 's' : ''} ${missingShards.join(', ')} of ${count} missing: every shard is needed for a class report.`);

  const seenIn = new Map<string, string>();
  for (const { dir, manifest } of shards) {
    const expected = new Set(selectShard(manifest.class, manifest.shard));
    for (const record of manifest.submissions) {
      const other = seenIn.get(record.name);
      if (other) throw new Error(`${record.name} is in two shards (${other} and ${dir}).`);
      seenIn.set(record.name, dir);
      if (!expected.has(record.name)) throw new Error(`${dir} holds ${record.name}, which belongs to another shard.`);
      if (!fs.existsSync(path.join(dir, record.folder))) throw new Error(`${dir} lists ${record.name} but has no report folder for it.`);
    }
  }
  const missing = first.manifest.class.filter((name) => !seenIn.has(name));
  if (missing.length > 0) throw new Error(`Submission${missing.length > 1 ? 's' : ''} missing from the shards: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}.`);
}

/** Merges shard outputs into `out` (created fresh by the caller); returns the class manifest. */
export function mergeShards(dirs: string[], out: string): CourseManifest {
  const shards = dirs.map((dir) => ({ dir, manifest: readManifest(dir) }));
  checkShards(shards);
  const first = (shards[0] as ShardOutput).manifest;
  const manifest: CourseManifest = {
    ...first,
    shard: WHOLE_CLASS,
    submissions: shards.flatMap((s) => s.manifest.submissions).sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
  for (const { dir, manifest: shard } of shards) {
    for (const record of shard.submissions) copyReports(path.join(dir, record.folder), path.join(out, record.folder));
  }
  writeManifest(out, manifest);
  writeClassReports(out, manifest);
  const runs = shards.map(({ dir }) => {
    const file = path.join(dir, RUN_FILE);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as unknown) : { dir, missing: RUN_FILE };
  });
  writeRunFile(out, { shards: runs });
  return manifest;
}
