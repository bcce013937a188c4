/**
 * The modules a kata module's source names, read from its syntax alone:
 * imports, re-exports, `require` and `import()` calls, as TypeScript's
 * preprocessor finds them, and `export * as ns from`, which that preprocessor
 * misses (TypeScript 5), from the parsed statements. The kata host follows
 * them to transpile every kata module a tested module needs (kata-host.ts).
 */
import type ts from 'typescript';

export function moduleSpecifiers(typescript: typeof ts, source: string, fileName: string): string[] {
  const found = new Set(typescript.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName));
  const file = typescript.createSourceFile(fileName, source, typescript.ScriptTarget.ES2022, false, typescript.ScriptKind.TS);
  for (const statement of file.statements) {
    if (typescript.isExportDeclaration(statement) && statement.moduleSpecifier && typescript.isStringLiteral(statement.moduleSpecifier)) found.add(statement.moduleSpecifier.text);
  }
  return [...found];
}
