/** hints.md: "## Task N" sections of numbered hints, read in order. */

export interface Hint {
  section: string;
  /** N of "## Task N"; undefined for a section about no one task. */
  task?: number;
  text: string;
}

/** Every numbered item of every "## " section, in file order. */
export function parseHints(markdown: string): Hint[] {
  const hints: Hint[] = [];
  for (const block of markdown.split(/^## /m).slice(1)) {
    const [heading = '', ...body] = block.split('\n');
    const task = /^Task (\d+)\b/i.exec(heading.trim())?.[1];
    const items = body.join('\n').split(/^\d+\.\s+/m).slice(1);
    for (const item of items) {
      hints.push({ section: heading.trim(), ...(task ? { task: Number(task) } : {}), text: item.replace(/\s*\n\s*/g, ' ').trim() });
    }
  }
  return hints;
}
