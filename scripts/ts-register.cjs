/**
 * A require hook that transpiles TypeScript with decorator metadata (tsx/esbuild cannot emit it,
 * and Nest/Mongoose decorators need it). Transpile only, no type check: `npm run typecheck` does that.
 * Used by scripts that import Nest providers directly: node -r ./scripts/ts-register.cjs script.ts
 */
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  sourceMap: false,
  inlineSourceMap: true,
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
