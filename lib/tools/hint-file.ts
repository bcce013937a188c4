/** hints.md: "## Task N" sections of numbered hints, read in order. */

export interface Hint {
  section: string;
  text: string;
}

/** Every numbered item of every "## " section, in file order. */
export function parseHints(markdown: string): Hint[] {
  const hints: Hint[] = [];
  for (const block of markdown.split(/^## /m).slice(1)) {
    const [heading = '', ...body] = block.split('\n');
    const items = body.join('\n').split(/^\d+\.\s+/m).slice(1);
    for (const item of items) hints.push({ section: heading.trim(), text: item.replace(/\s*\n\s*/g, ' ').trim() });
  }
  return hints;
}
