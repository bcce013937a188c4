/**
 * How TypeScript becomes JavaScript for grading: the compiler's
 * transpileModule (syntax only: it reads the source as text and runs none of
 * it). The grader transpiles its own code (lib/, the kata host) with it
 * (../transpile.ts); a submission's files are transpiled inside the sandbox
 * (kata-host.ts), where the compiler's time counts against the submission.
 * The compiler is passed in: the sandboxes that only run katas never load it.
 */
import type ts from 'typescript';

export function transpileOptions(typescript: typeof ts): ts.CompilerOptions {
  return {
    module: typescript.ModuleKind.CommonJS,
    target: typescript.ScriptTarget.ES2022,
    esModuleInterop: true,
    isolatedModules: true,
  };
}
