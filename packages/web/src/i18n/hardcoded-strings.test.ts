/// <reference types="node" />
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from './en';

/**
 * Every word a user sees comes from the catalogue: this scans the components with the
 * TypeScript compiler for JSX text with letters, for string literals in attributes a
 * user reads or hears, for literal texts picked inside JSX ({on ? 'On' : 'Off'}), and
 * for texts in object properties a screen shows (`label: 'Chat'`), for literal texts
 * handed to a state setter (setError('…')), and for literal document titles and
 * confirm/alert/prompt texts.
 */

const SRC = fileURLToPath(new URL('..', import.meta.url));

/** Attributes whose value a user reads or a screen reader says (ours and the DOM's). */
const USER_FACING_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'aria-placeholder',
  'title',
  'placeholder',
  'alt',
  'label',
]);

/** Object properties that carry what a screen shows (menu items, panels, notices). */
const USER_FACING_PROPERTIES = new Set(['label', 'title', 'text', 'message', 'placeholder']);

/** State setters whose value is shown as is (errors, problems, toasts, notices). */
const SHOWN_SETTER = /^set(Error|Problem|Toast|Notice|Message|NameError|RoomError|CameraProblem)$/;

/** Texts that are not words in any language. Keep this short. */
const ALLOWED = new Set(['×', '·', '…', '—', '–', '/', ':', '?', '+']);

const LETTER = /\p{L}/u;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The string literals an expression can evaluate to (through ?:, &&, ||, ?? and parens). */
function literalResults(node: ts.Expression): ts.Node[] {
  if (ts.isParenthesizedExpression(node)) {
    return literalResults(node.expression);
  }
  if (ts.isConditionalExpression(node)) {
    return [...literalResults(node.whenTrue), ...literalResults(node.whenFalse)];
  }
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
      return literalResults(node.right);
    }
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      return [...literalResults(node.left), ...literalResults(node.right)];
    }
    if (op === ts.SyntaxKind.PlusToken) {
      return [...literalResults(node.left), ...literalResults(node.right)];
    }
    return [];
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return [node];
  }
  if (ts.isTemplateExpression(node)) {
    return [node.head, ...node.templateSpans.map((span) => span.literal)];
  }
  return [];
}

function hasWords(text: string): boolean {
  const trimmed = text.trim();
  // A catalogue key ('chat.send') names a message; it is not one.
  return trimmed !== '' && !ALLOWED.has(trimmed) && !(trimmed in en) && LETTER.test(trimmed);
}

function textOf(node: ts.Node): string {
  return ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateHead(node) ||
    ts.isTemplateMiddle(node) ||
    ts.isTemplateTail(node)
    ? node.text
    : node.getText();
}

/** Hard-coded user-facing texts of one file, as "path:line: text". */
export function findHardCodedStrings(path: string, source: string): string[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, text: string): void => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    found.push(`${relative(SRC, path)}:${line + 1}: ${JSON.stringify(text.trim())}`);
  };
  const reportLiterals = (expression: ts.Expression): void => {
    for (const literal of literalResults(expression)) {
      const text = textOf(literal);
      if (hasWords(text)) {
        report(literal, text);
      }
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && hasWords(node.text)) {
      report(node, node.text);
    } else if (ts.isJsxAttribute(node) && USER_FACING_ATTRIBUTES.has(node.name.getText(file))) {
      const init = node.initializer;
      if (init && ts.isStringLiteral(init) && hasWords(init.text)) {
        report(init, init.text);
      } else if (init && ts.isJsxExpression(init) && init.expression) {
        reportLiterals(init.expression);
      }
    } else if (
      ts.isJsxExpression(node) &&
      node.expression &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))
    ) {
      reportLiterals(node.expression);
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      node.left.getText(file) === 'document.title'
    ) {
      reportLiterals(node.right);
    } else if (
      ts.isPropertyAssignment(node) &&
      USER_FACING_PROPERTIES.has(node.name.getText(file)) &&
      !ts.isObjectLiteralExpression(node.initializer)
    ) {
      reportLiterals(node.initializer);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(file).replace(/^window\./, '');
      const first = node.arguments[0];
      const shown =
        callee === 'confirm' ||
        callee === 'alert' ||
        callee === 'prompt' ||
        SHOWN_SETTER.test(callee);
      if (shown && first) {
        reportLiterals(first);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('no hard-coded user-facing strings', () => {
  it('finds them when they are there (the scanner itself)', () => {
    const sample = `
      export const A = () => (
        <div title="Hello" aria-label={'Close'}>
          Some words {on ? 'On' : \`Off \${n}\`} {t('ok')} · ×
          <input placeholder={x || 'Type here'} alt={t('alt')} />
        </div>
      );
      document.title = \`\${n} people\`;
      window.confirm('Leave the call?');
      const items = [{ id: 'x', label: 'Record this call' }];
      setError('Could not load');
    `;
    const found = findHardCodedStrings(join(SRC, 'sample.tsx'), sample).map((line) =>
      line.replace(/^[^:]+:\d+: /, ''),
    );
    expect(found).toEqual([
      '"Hello"',
      '"Close"',
      '"Some words"',
      '"On"',
      '"Off"',
      '"Type here"',
      '"people"',
      '"Leave the call?"',
      '"Record this call"',
      '"Could not load"',
    ]);
  });

  it('finds none in packages/web/src', () => {
    const found = sourceFiles(SRC)
      .filter((path) => !path.includes(`${join('src', 'i18n')}`))
      .flatMap((path) => findHardCodedStrings(path, readFileSync(path, 'utf8')));
    expect(found, `use the catalogue (src/i18n) for:\n${found.join('\n')}`).toEqual([]);
  });
});
