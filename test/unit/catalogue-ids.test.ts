// A table id is written once, in its declaration in src/stats/catalogue.ts (and at most one more
// file, should the web app ever need it in a route). Everything else reads the catalogue: a
// table's role (`tableWith`), its flags and relations. An id copied into a renderer, a check or a
// page is a second place to change when the table changes, and this test fails on it.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { dimensions, tableIds } from '../../src/stats/catalogue.ts';
import { codeLists } from '../../src/standard/codes.ts';
import { fieldLabels } from '../../src/standard/messages.ts';
import { nodes, parse, sourceFiles } from '../support/source-files.ts';

const MAX_FILES = 2;

/**
 * Ids that are also the name of a dimension, a code list or a case field ('category', 'region', …)
 * appear as literals for those reasons too; they count only where the code reads a table by them.
 */
const sharedNames = new Set([...Object.keys(dimensions), ...Object.keys(codeLists), ...Object.keys(fieldLabels).flatMap((k) => k.split('.'))]);

const idNamed = (e: ts.Expression) => {
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
  return /^(id|tableId|table)$|Id$/.test(name);
};
const tableNamed = (e: ts.Expression) => {
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
  return /^(report|tables)$/.test(name);
};

/** Where a literal is used as a table id: compared with an id, an id property, `satisfies TableId`, a table reader's argument. */
function readsATable(lit: ts.Node): boolean {
  const p = lit.parent;
  if (ts.isBinaryExpression(p) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(p.operatorToken.kind))
    return idNamed(p.left === lit ? p.right : p.left);
  if (ts.isPropertyAssignment(p) && p.initializer === lit) return /^(id|table|tableId)$/.test(p.name.getText());
  if (ts.isCaseClause(p)) return idNamed(p.parent.parent.expression);
  if ((ts.isSatisfiesExpression(p) || ts.isAsExpression(p)) && /TableId/.test(p.type.getText())) return true;
  if (ts.isCallExpression(p) && p.arguments.includes(lit as ts.Expression)) {
    const callee = ts.isPropertyAccessExpression(p.expression) ? p.expression.name.text : p.expression.getText();
    return /table|^other$/i.test(callee) || p.arguments.some((a) => a !== lit && tableNamed(a));
  }
  return false;
}

/** The table ids a file writes as string literals. */
function tableIdsWritten(file: string, text?: string): Set<string> {
  const ids = new Set<string>(tableIds);
  const found = new Set<string>();
  for (const node of nodes(parse(file, text))) {
    if (!ts.isStringLiteral(node) && !ts.isNoSubstitutionTemplateLiteral(node)) continue;
    if (!ids.has(node.text)) continue;
    if (ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent)) continue;
    if (!sharedNames.has(node.text) || readsATable(node)) found.add(node.text);
  }
  return found;
}

describe('table ids', () => {
  it(`are each written in at most ${MAX_FILES} source files of src/ and web/src/`, () => {
    // The catalogue declares every id (its `tableIds`); the other files may hold one in MAX_FILES − 1.
    const catalogueFile = 'src/stats/catalogue.ts';
    const where = new Map<string, string[]>(tableIds.map((id) => [id, [catalogueFile]]));
    for (const file of [...sourceFiles('src'), ...sourceFiles('web/src')])
      if (file !== catalogueFile) for (const id of tableIdsWritten(file)) where.get(id)!.push(file);
    const tooMany = Object.fromEntries([...where].filter(([, files]) => files.length > MAX_FILES));
    expect(tooMany).toEqual({});
  });

  it('counts a table read by its id, but not a dimension, code list or field of the same name', () => {
    const read = (code: string) => [...tableIdsWritten('web/src/x.tsx', code)];
    expect(read("const t = report.tables.find((x) => x.id === 'trend');")).toEqual(['trend']);
    expect(read("const n = count(report, 'totals', { dimension: 'all' });")).toEqual(['totals']);
    expect(read("rowsOf(report, 'category').filter((r) => r.category !== 'unknown');")).toEqual(['category']);
    expect(read("if (t.id !== 'region') keep(t);")).toEqual(['region']);
    expect(read("const totals = t.get('totals' satisfies TableId);")).toEqual(['totals']);
    expect(read("switch (table.id) { case 'nationality': break; }")).toEqual(['nationality']);
    expect(read('const spec = tableSpec(codes, `related_children`);')).toEqual(['related_children']);
    expect(read("const ids = ['form_by_group'];")).toEqual(['form_by_group']);
    // the same words as a dimension, a code list or a field
    expect(read("label('category', r.category); codeLabel(codes, 'region', c, lang); if (dimension === 'nationality') x();")).toEqual([]);
    expect(read("const fields = ['related_children', 'workplace_inspection']; params.get('region');")).toEqual([]);
    // comments and imports are not code that reads a table
    expect(read("// rowsOf(report, 'totals')\nimport x from './trend';")).toEqual([]);
  });
});
