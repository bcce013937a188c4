/**
 * What a JSON text will cost to parse, measured before JSON.parse sees it:
 * its nesting depth and how many arrays and objects (each a heap object) and
 * other values it holds. A reply of a few MiB made of empty arrays parses
 * into twenty times its size in heap, and one nested 200,000 deep overflows
 * the stack of whatever walks it afterwards; measured first, such a line is
 * refused for the cost of one pass over its characters. The text is assumed
 * to be JSON (JSON.parse still checks that); the count is exact for JSON.
 */

export interface JsonLimits {
  maxDepth: number;
  /** Arrays and objects. */
  maxContainers: number;
  /** Numbers, strings, booleans and nulls. */
  maxScalars: number;
}

/** Why the text is over a limit, or undefined when it is within all of them. */
export function jsonOverLimits(text: string, limits: JsonLimits): string | undefined {
  let depth = 0;
  let containers = 0;
  let scalars = 0;
  let inString = false;
  // A scalar starts at a character that can begin one outside a string (a digit, -, t, f, n, or a quote).
  let inScalar = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    switch (c) {
      case 0x5b: // [
      case 0x7b: // {
        inScalar = false;
        if (++depth > limits.maxDepth) return `nested more than ${limits.maxDepth} levels deep`;
        if (++containers > limits.maxContainers) return `more than ${limits.maxContainers} arrays and objects`;
        break;
      case 0x5d: // ]
      case 0x7d: // }
        inScalar = false;
        depth--;
        break;
      case 0x2c: // ,
      case 0x3a: // :
      case 0x20:
      case 0x0a:
      case 0x0d:
      case 0x09:
        inScalar = false;
        break;
      case 0x22: // "
        inString = true;
        if (++scalars > limits.maxScalars) return `more than ${limits.maxScalars} values`;
        break;
      default:
        if (!inScalar) {
          inScalar = true;
          if (++scalars > limits.maxScalars) return `more than ${limits.maxScalars} values`;
        }
    }
  }
  return undefined;
}
