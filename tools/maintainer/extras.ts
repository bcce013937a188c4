/**
 * The maintainer-only packages (StrykerJS, playwright-core) live in their own
 * package, tools/maintainer/extras/, so that learners never install them. The
 * tools that need one resolve it from there, and say how to install it when
 * it is missing.
 */
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';

export const EXTRAS_DIR = path.join(REPO_ROOT, 'tools', 'maintainer', 'extras');

export class MissingExtraError extends Error {
  override name = 'MissingExtraError';
}

/** The path of `request` (a package or a file in one) as installed in the extras package; throws what to run when it is not. */
export function resolveExtra(request: string, neededFor: string): string {
  try {
    return require.resolve(request, { paths: [EXTRAS_DIR] });
  } catch {
    throw new MissingExtraError(
      `${neededFor} needs ${request.split('/').slice(0, request.startsWith('@') ? 2 : 1).join('/')}, a maintainer-only package that learners do not install. ` +
        'Install the maintainer tools with `npm run setup:maintainer` (tools/maintainer/extras/README.md), then run this again.',
    );
  }
}

/** `require` of a maintainer-only package. */
export function requireExtra<T>(name: string, neededFor: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolveExtra(name, neededFor)) as T;
}
