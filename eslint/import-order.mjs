// @ts-check
/**
 * ESLint rule `prism/import-order` (autofix): the imports at the top of a file come in two groups,
 * packages (`node:` built-ins first) and then relative paths, separated by one blank line; inside
 * a group they are sorted by path, case-insensitively. Local so that the lint has no plugin to
 * install; `npx eslint --fix` puts any file in order.
 */

/** @param {string} source */
function groupOf(source) {
  return source.startsWith('.') ? 1 : 0;
}

/** @param {string} source */
function sortKey(source) {
  return `${groupOf(source)}${source.startsWith('node:') ? '0' : '1'}${source.toLowerCase()}`;
}

/** @type {import('eslint').Rule.RuleModule} */
export const importOrder = {
  meta: {
    type: 'layout',
    fixable: 'code',
    docs: { description: 'Packages, then relative imports; each group sorted by path' },
    schema: [],
    messages: {
      order: 'Imports are not in order (packages, blank line, relative paths; each sorted by path): run eslint --fix.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    return {
      Program(program) {
        /** @type {import('estree').ImportDeclaration[]} */
        const imports = [];
        for (const statement of program.body) {
          if (statement.type !== 'ImportDeclaration') break;
          imports.push(statement);
        }
        if (imports.length < 2) return;
        const first = imports[0];
        const last = imports[imports.length - 1];
        // Comments between imports would be lost or moved by a re-sort: leave such files alone.
        const between = sourceCode.getCommentsInside(program).filter(
          (c) => c.range && first.range && last.range && c.range[0] > first.range[0] && c.range[1] < last.range[1],
        );
        if (between.length > 0) return;

        const keyed = imports.map((node, index) => ({
          node,
          index,
          key: sortKey(/** @type {string} */ (node.source.value)),
          text: sourceCode.getText(node),
        }));
        const sorted = [...keyed].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
        const lines = [];
        sorted.forEach((entry, i) => {
          const previous = sorted[i - 1];
          if (previous && groupOf(String(previous.node.source.value)) !== groupOf(String(entry.node.source.value))) {
            lines.push('');
          }
          lines.push(entry.text);
        });
        const expected = lines.join('\n');
        const range = /** @type {[number, number]} */ ([first.range?.[0] ?? 0, last.range?.[1] ?? 0]);
        const actual = sourceCode.text.slice(range[0], range[1]);
        if (actual === expected) return;
        context.report({
          node: first,
          messageId: 'order',
          fix: (fixer) => fixer.replaceTextRange(range, expected),
        });
      },
    };
  },
};
