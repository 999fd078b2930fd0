// @ts-check
/** The repository's own ESLint rules (plugin `prism`), used by eslint.config.mjs. */
import { importOrder } from './import-order.mjs';
import { moduleLayering } from './module-layering.mjs';

export default { rules: { 'import-order': importOrder, 'module-layering': moduleLayering } };
