/**
 * Preset profiles: named groups of categories an admin can fill with default models from one
 * provider in a single step (see `assignPresetModels` in the engine). An empty list means every
 * category.
 */

export interface PresetProfile {
  key: string;
  name: string;
  description: string;
  categories: readonly string[];
}

export const PRESET_PROFILES: readonly PresetProfile[] = [
  {
    key: 'software_development',
    name: 'Software development',
    description:
      'Coding from snippets to repository-wide agents, plus the infrastructure and testing around it.',
    categories: [
      'code_autocomplete',
      'code_basic',
      'code_explanation',
      'code_intermediate',
      'debugging',
      'code_architecture',
      'agentic_swe',
      'sql_query',
      'devops',
      'qa_testing',
      'security_review',
      'system_design',
      'api_integration',
      'function_calling',
      'data_transform',
    ],
  },
  {
    key: 'customer_support',
    name: 'Customer support',
    description:
      'Conversational help desks: greetings, short answers, emails, classification of tickets, translation.',
    categories: [
      'smalltalk',
      'chat_title',
      'email_business',
      'extraction',
      'roleplay',
      'fact_check',
      'translation',
      'summary_short',
      'document_qa',
      'proofreading',
      'brainstorming',
    ],
  },
  {
    key: 'research',
    name: 'Research and analysis',
    description: 'Reading, reasoning and analysing: papers, long documents, data and strategy.',
    categories: [
      'research',
      'document_qa',
      'analysis_basic',
      'strategy_analysis',
      'summary_long',
      'long_context',
      'data_analysis',
      'stem_science',
      'reasoning_deep',
      'formal_reasoning',
      'math_advanced',
      'financial_analysis',
    ],
  },
  {
    key: 'creative',
    name: 'Creative content',
    description: 'Writing and ideation: short and long texts, emails, localisation, prompts.',
    categories: [
      'writing_short',
      'writing_long',
      'brainstorming',
      'email_business',
      'roleplay',
      'multilingual_complex',
      'summary_short',
      'proofreading',
      'prompt_engineering',
      'translation',
    ],
  },
  {
    key: 'data_operations',
    name: 'Data operations',
    description: 'Queries, transformations, conversions and calculations on structured data.',
    categories: [
      'sql_query',
      'data_transform',
      'data_analysis',
      'format_conversion',
      'extraction',
      'math_basic',
      'math_advanced',
      'instruction_following',
      'function_calling',
    ],
  },
  {
    key: 'agentic',
    name: 'Agentic workflows',
    description: 'Tool-using agents: single calls, multi-step tool chains, planning and coding agents.',
    categories: [
      'function_calling',
      'agentic_tool_use',
      'agentic_swe',
      'planning',
      'api_integration',
      'code_architecture',
      'system_design',
      'reasoning_deep',
    ],
  },
  {
    key: 'all',
    name: 'All categories',
    description: 'Assign a default model to every category.',
    categories: [],
  },
];
