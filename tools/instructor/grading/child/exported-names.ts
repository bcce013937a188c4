/**
 * The names a kata module's source exports at run time, read from its syntax
 * alone (the compiler's parser: nothing of it runs), when the host transpiles
 * it (kata-host.ts), before any kata code has run. The grader refuses a module
 * whose source exports a name the tests cannot import (wire.ts,
 * exportNameProblem) without loading it: `export { x as __esModule }` would
 * otherwise fail inside the module's own CommonJS code with an error that
 * names no export. Type-only and ambient exports are left out (they do not
 * exist at run time), and so are `export * from` and `export =`, whose names
 * only the loaded module knows: those are checked on what it reports.
 */
import type ts from 'typescript';

/** Names reported per module: more are not needed to refuse one. */
export const MAX_EXPORTED_NAMES = 1000;

export function exportedNames(typescript: typeof ts, source: string, fileName: string): string[] {
  const file = typescript.createSourceFile(fileName, source, typescript.ScriptTarget.ES2022, false, typescript.ScriptKind.TS);
  const names: string[] = [];
  const nameOf = (node: ts.ModuleExportName) => (typescript.isIdentifier(node) ? typescript.idText(node) : node.text);
  const bound = (node: ts.BindingName) => {
    if (typescript.isIdentifier(node)) names.push(typescript.idText(node));
    else for (const element of node.elements) if (!typescript.isOmittedExpression(element)) bound(element.name);
  };
  for (const statement of file.statements) {
    if (names.length >= MAX_EXPORTED_NAMES) break;
    if (typescript.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (statement.isTypeOnly || !clause) continue;
      if (typescript.isNamespaceExport(clause)) names.push(nameOf(clause.name));
      else for (const element of clause.elements) if (!element.isTypeOnly) names.push(nameOf(element.name));
      continue;
    }
    if (typescript.isExportAssignment(statement)) {
      if (!statement.isExportEquals) names.push('default');
      continue;
    }
    const modifiers = (typescript.canHaveModifiers(statement) ? typescript.getModifiers(statement) : undefined) ?? [];
    const has = (kind: ts.SyntaxKind) => modifiers.some((m) => m.kind === kind);
    if (!has(typescript.SyntaxKind.ExportKeyword) || has(typescript.SyntaxKind.DeclareKeyword)) continue;
    if (typescript.isInterfaceDeclaration(statement) || typescript.isTypeAliasDeclaration(statement)) continue;
    if (has(typescript.SyntaxKind.DefaultKeyword)) names.push('default');
    else if (typescript.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) bound(declaration.name);
    else if (
      (typescript.isFunctionDeclaration(statement) ||
        typescript.isClassDeclaration(statement) ||
        typescript.isEnumDeclaration(statement) ||
        typescript.isImportEqualsDeclaration(statement)) &&
      statement.name
    )
      names.push(typescript.idText(statement.name));
    else if (typescript.isModuleDeclaration(statement) && typescript.isIdentifier(statement.name)) names.push(typescript.idText(statement.name));
  }
  return names.slice(0, MAX_EXPORTED_NAMES);
}
