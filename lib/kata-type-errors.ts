/**
 * The TypeScript compiler's verdict on kata files, as data: a kata is
 * TypeScript, and its type errors are part of the feedback. The kata tests
 * run transpiled only (fast, but blind to types), so `npm test` runs this
 * beside them (test/support/type-check.ts); a grader can call it on a
 * submission's files. Only the kata files given and the files they import are
 * checked, with the compiler options of the repository's tsconfig.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { KataTypeError } from './kata-type-error';


export interface TypeCheckOptions {
  /** The tsconfig.json whose compilerOptions apply (its include and files lists do not). */
  tsconfig: string;
}

function compilerOptions(options: TypeCheckOptions): ts.CompilerOptions {
  const config = ts.readConfigFile(options.tsconfig, (file) => ts.sys.readFile(file));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const root = path.dirname(options.tsconfig);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
  return {
    ...parsed,
    noEmit: true,
    // No incremental build info: most of the time goes into reading the declarations of tfjs and Node,
    // which build info does not save (measured: 4.6 s of CPU with it, 4.6 s without, loaded 2-core VM).
    incremental: false,
    // Packages resolve from the repository's node_modules wherever the kata files are (a scratch
    // copy, a submission), as they do when jest runs them.
    baseUrl: parsed.baseUrl ?? root,
    paths: { ...parsed.paths, '*': [path.join(root, 'node_modules', '*'), path.join(root, 'node_modules', '@types', '*')] },
  };
}

/** The files `root` imports, directly or not, outside node_modules (the kata files it builds on, lib/). */
function importClosure(root: string, compiler: ts.CompilerOptions): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    const resolvedFile = path.resolve(file);
    if (seen.has(resolvedFile) || !fs.existsSync(resolvedFile)) return;
    seen.add(resolvedFile);
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(resolvedFile, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      const resolved = ts.resolveModuleName(fileName, resolvedFile, compiler, ts.sys).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport && !/[\\/]node_modules[\\/]/.test(resolved.resolvedFileName)) visit(resolved.resolvedFileName);
    }
  };
  visit(root);
  return [...seen];
}

function asData(diagnostic: ts.Diagnostic): KataTypeError {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) return { file: diagnostic.file?.fileName ?? '', line: 0, column: 0, code: diagnostic.code, message };
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { file: path.resolve(diagnostic.file.fileName), line: line + 1, column: character + 1, code: diagnostic.code, message };
}

/**
 * Type-checks every group of files (say, one kata's .ts files per group) in one TypeScript program,
 * and returns per group the errors in its files and in the files they import outside node_modules.
 *
 * Most of the time goes into reading declarations, half of them Node's (@types/node), which kata
 * files seldom need. So a first pass leaves out the ambient types the tsconfig lists; only when it
 * finds an error does the full pass, with them, give the verdict. Leaving declarations out adds
 * errors (names it cannot find) rather than hiding any, so a clean first pass is the full pass's
 * verdict in practice; any error is reported as the full pass finds it.
 */
export function kataTypeErrors(groups: Record<string, string[]>, options: TypeCheckOptions): Record<string, KataTypeError[]> {
  const compiler = compilerOptions(options);
  const fast = checkGroups(groups, { ...compiler, types: [] });
  return Object.values(fast).every((errors) => errors.length === 0) ? fast : checkGroups(groups, compiler);
}

function checkGroups(groups: Record<string, string[]>, compiler: ts.CompilerOptions): Record<string, KataTypeError[]> {
  const roots = Object.values(groups).flat().map((file) => path.resolve(file));
  const program = ts.createProgram({ rootNames: roots, options: compiler });
  const general = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map(asData);
  const byFile = new Map<string, KataTypeError[]>();
  const errorsIn = (file: string) => {
    if (!byFile.has(file)) {
      const source = program.getSourceFile(file);
      byFile.set(file, source ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(asData) : []);
    }
    return byFile.get(file) as KataTypeError[];
  };
  const result: Record<string, KataTypeError[]> = {};
  for (const [group, files] of Object.entries(groups)) {
    const closure = [...new Set(files.flatMap((file) => importClosure(file, compiler)))];
    result[group] = [...general, ...closure.flatMap(errorsIn)];
  }
  return result;
}
