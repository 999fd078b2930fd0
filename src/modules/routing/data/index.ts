/** Seed data for the routing module (categories, preset profiles, default rule sets). */
export {
  AUTOCOMPLETE_CATEGORY,
  BUILT_IN_CATEGORIES,
  BUILT_IN_CATEGORY_KEYS,
  type BuiltInCategory,
} from './categories.data';
export { DEFAULT_RULE_SET, ECONOMY_RULE_SET } from './default-rule-set.data';
export { PRESET_PROFILES, type PresetProfile } from './preset-profiles.data';
