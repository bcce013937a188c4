/** Resolves what a learner types ("3", "03", "03-deep-relu", "deep-relu") to a kata. */
import { type Kata, listKatas } from './kata-list';

export function findKata(argument: string): Kata {
  const katas = listKatas();
  const wanted = argument.trim().toLowerCase();
  const found = katas.find(
    (k) => k.folder === wanted || k.number === wanted.padStart(2, '0') || k.folder.slice(3) === wanted,
  );
  if (!found) {
    throw new Error(`No kata "${argument}". Known: ${katas.map((k) => k.folder).join(', ')}.`);
  }
  return found;
}
