/**
 * The roster: who is in the course and where their repository is. Reads the
 * grades CSV a GitHub Classroom assignment exports (columns github_username,
 * roster_identifier, student_repository_name, student_repository_url, ...),
 * or a plain list of repositories, one `owner/name` or URL a line.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface Learner {
  /** The repository name: the submission's folder name and the name its variant is drawn from. */
  name: string;
  /** Where to clone it from. */
  url: string;
  /** The roster identifier (an e-mail, a student number) as the instructor entered it, if known. */
  identifier?: string;
  githubUsername?: string;
}

const CLASSROOM_COLUMNS = ['student_repository_name', 'student_repository_url'];

function fromRepository(text: string, line: number): Learner {
  const trimmed = text.trim();
  const ownerName = /^([\w.-]+)\/([\w.-]+?)(\.git)?$/.exec(trimmed);
  if (ownerName) return { name: ownerName[2] as string, url: `https://github.com/${ownerName[1]}/${ownerName[2]}.git` };
  const url = /^(?:https:\/\/|file:\/\/).*\/([\w.-]+?)(\.git)?\/?$/.exec(trimmed);
  if (url) return { name: url[1] as string, url: trimmed };
  throw new Error(`roster line ${line}: expected owner/name or an https:// URL of a repository, got "${trimmed}".`);
}

export function parseRoster(text: string): Learner[] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  let learners: Learner[];
  if (CLASSROOM_COLUMNS.every((c) => firstLine.includes(c))) {
    const rows = parse(body, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
    learners = rows.map((row, i) => {
      const name = row.student_repository_name ?? '';
      const url = row.student_repository_url ?? '';
      if (!name || !url) throw new Error(`roster row ${i + 2}: student_repository_name and student_repository_url are required.`);
      return {
        name,
        url,
        ...(row.roster_identifier ? { identifier: row.roster_identifier } : {}),
        ...(row.github_username ? { githubUsername: row.github_username } : {}),
      };
    });
  } else {
    learners = body
      .split(/\r?\n/)
      .map((line, i) => ({ line: line.trim(), number: i + 1 }))
      .filter(({ line }) => line !== '' && !line.startsWith('#'))
      .map(({ line, number }) => fromRepository(line, number));
  }
  const seen = new Set<string>();
  for (const learner of learners) {
    if (!/^[\w.-]+$/.test(learner.name) || learner.name === '.' || learner.name === '..') {
      throw new Error(`roster: "${learner.name}" is not a repository name.`);
    }
    if (seen.has(learner.name)) throw new Error(`roster: ${learner.name} is listed twice.`);
    seen.add(learner.name);
  }
  if (learners.length === 0) throw new Error('roster: no learner in it.');
  return learners;
}

export function readRoster(file: string): Learner[] {
  return parseRoster(fs.readFileSync(file, 'utf8'));
}
