export const REPO_ROOT: string;
export function kataTreeDir(env?: NodeJS.ProcessEnv): string;
