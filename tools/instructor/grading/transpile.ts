/**
 * The grader's own code (lib/, the kata host) from TypeScript to JavaScript
 * before it enters a sandbox, which then starts plain Node.js (about 4 s
 * faster per start than compiling inside with ts-node) and holds no .ts
 * source. A submission's files are transpiled inside its sandbox instead
 * (prepare.ts), where the compiler's time counts against the submission.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { transpileOptions } from './child/transpile-options';

/** Replaces every .ts file under `dir` (not .d.ts) by its .js; other files stay. */
export function transpileTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.name.endsWith('.d.ts')) {
      const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: transpileOptions(ts), fileName: entry.name });
      fs.writeFileSync(file.replace(/\.ts$/, '.js'), outputText, { mode: 0o644 });
    }
    fs.rmSync(file);
  }
}
