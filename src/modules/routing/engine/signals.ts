/**
 * Stage 1: cheap, deterministic facts about a request. One linear pass over the messages counts
 * characters and turns; every pattern test runs on capped copies of the system prompt and the
 * latest user message only, so a 100k-token conversation costs about as much as a short one.
 */
import type {
  FimReason,
  RoutingContentPart,
  RoutingInput,
  RoutingMessage,
  RoutingSignals,
  TokenEstimate,
} from '../router.interface';
import type { Domain } from './routing.types';
import { detectTaskCues, withTelemetryTriage } from './task-cues';
import { compileKeywords, headTail, type KeywordMatcher } from './text-match';

/** Prompt texts the later stages read. Kept apart from {@link RoutingSignals} so traces stay prompt-free. */
export interface SignalTexts {
  /** All system/developer messages, capped. */
  system: string;
  /** The latest user message that is not tool output (the task), capped. */
  lastUser: string;
  /** The user message before that, capped (gives short follow-ups their context). */
  previousUser: string;
}

export interface ExtractedSignals {
  signals: RoutingSignals;
  texts: SignalTexts;
}

export const PROSE_CHARS_PER_TOKEN = 3.5;
export const CODE_CHARS_PER_TOKEN = 1.5;
export const TOKENS_PER_MESSAGE = 4;
/** A typical image costs roughly this many prompt tokens at providers' default detail. */
export const TOKENS_PER_IMAGE = 800;

const SYSTEM_CAP = 4000;
const USER_CAP = 6000;
const MARKER_WINDOW = 4000;
const BARE_CODE_MAX_PROSE = 20;

const TOOL_OUTPUT_PREFIX =
  /^\s*(?:tool (?:output|result) for\b|tool_call_result\b|\[tool (?:output|result)\b)/i;

const FIM_MARKER =
  /<\|?fim[_▁](?:prefix|suffix|middle|begin|hole|end)\|?>|<｜fim▁(?:begin|hole|end)｜>|<FILL_ME>|\{\{FILL_HERE\}\}|\{\{HOLE(?:_NAME)?\}\}|<CURSOR>|\[PREFIX\][\s\S]{0,10000}?\[SUFFIX\]|\[SUFFIX\][\s\S]{0,10000}?\[PREFIX\]|<PRE>[\s\S]{0,10000}?<SUF>/;
/** Phrases that only a fill-in-the-middle client would put in its instructions. */
const FIM_STRONG_PHRASE =
  /\bhole[ -]?filler\b|\bfill[ -]in[ -]the[ -]middle\b|\bfill[ -]in[ -]the[ -]blank\b/i;
/** Weaker phrases, trusted only at the start of a system prompt. */
const FIM_SYSTEM_PHRASE =
  /\b(?:code (?:completion|autocomplete) (?:engine|model|assistant)|autocomplete (?:engine|model)|inline (?:code )?(?:completion|suggestion)s?)\b|\byou (?:are|act as) an? (?:code )?(?:autocomplete|completion)\b/i;

const AGENT_SYSTEM =
  /\b(?:coding agent|software engineering agent|autonomous (?:coding )?agent|agent mode|agentic|interactive (?:cli|command[- ]line) tool|you have access to (?:a set of |the following |these |several )?tools|use the (?:available|provided) tools|file search specialist|expert software engineer|tool_use_instructions)\b|<tools>|<functions>/i;

const FRUSTRATION =
  /\b(?:still (?:not|doesn'?t|does not|isn'?t|is not) work(?:ing)?|still broken|not working again|wrong again|that'?s not what i (?:asked|wanted)|you (?:already|just) (?:said|told)|for the (?:third|fourth|fifth|\d+(?:st|nd|rd|th)) time|this is useless|wtf|come on|funktioniert (?:immer )?(?:noch )?(?:immer )?nicht|schon wieder|immer noch (?:falsch|kaputt|nicht)|das ist (?:immer noch |schon wieder )?falsch)\b|\?{3,}|(?:\?!|!\?){2,}/i;

const LONG_OUTPUT =
  /\b(?:in (?:great )?detail|detailed|comprehensive|thorough(?:ly)?|full (?:implementation|report|article|document|guide)|complete (?:implementation|guide|program|application)|(?:at least )?\d{3,} words|long (?:article|essay|story|report|chapter)|ausführlich(?:e|en|er)?|detailliert(?:e|en|er)?|umfassend(?:e|en|er)?|vollständige?n? (?:implementierung|anleitung|bericht)|mindestens \d{3,} wörter)\b/i;

const CODE_LANGUAGES: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'python',
    /```(?:python|py)\b|\bdef \w+\(.*\)\s*(?:->.*)?:|^\s*(?:from [\w.]+ )?import (?:numpy|pandas|os|sys|re|json|torch)\b|\bself\.\w+|\bprint\(f?["']/m,
  ],
  [
    'typescript',
    /```(?:ts|typescript|tsx)\b|\binterface \w+\s*\{|\bimport type\b|:\s*(?:string|number|boolean)(?:\[\])?\s*[;,)=]/,
  ],
  [
    'javascript',
    /```(?:js|javascript|jsx|node)\b|\b(?:const|let) \w+\s*=\s*(?:require\(|async\b|\(|\[|\{|new\b)|\bconsole\.log\(|\bdocument\.\w+|=>\s*\{/,
  ],
  ['java', /```java\b|\bpublic (?:static )?(?:class|void|final)\b|\bSystem\.out\.println\(|@Override\b/],
  ['csharp', /```(?:cs|csharp|c#)\b|\bnamespace \w+(?:\.\w+)*\s*[{;]|\busing System\b|\bpublic async Task\b/],
  ['go', /```go\b|\bfunc (?:\(\w+ \*?\w+\) )?\w+\(|\bpackage main\b|\bfmt\.Print/],
  ['rust', /```rust\b|\bfn \w+\s*(?:<[^>]*>)?\(|\blet mut\b|\bimpl(?:<[^>]*>)? \w+|\bprintln!\(/],
  ['cpp', /```(?:cpp|c\+\+|c)\b|#include\s*<\w+(?:\.h)?>|\bstd::\w+/],
  ['php', /```php\b|<\?php\b|\$this->\w+/],
  [
    'sql',
    /```sql\b|\bselect\s+(?:distinct\s+)?[\w*.,\s()]{1,200}\s+from\s+\w|\binsert\s+into\s+\w|\bcreate\s+table\b|\balter\s+table\b/i,
  ],
  [
    'bash',
    /```(?:bash|sh|shell|zsh)\b|^#!\/bin\/(?:ba)?sh|^\s*\$ (?:sudo |cd |ls |grep |curl |git |npm |docker |kubectl )/m,
  ],
  [
    'dockerfile',
    /```dockerfile\b|^\s*FROM [\w./:-]+(?:\s+AS \w+)?\s*$|^\s*(?:RUN|COPY|ENTRYPOINT|WORKDIR) /m,
  ],
  ['yaml', /```(?:yaml|yml)\b|^\s*apiVersion:\s*\S+|^\s*(?:services|jobs|steps):\s*$/m],
  ['terraform', /```(?:hcl|terraform|tf)\b|\bresource\s+"\w+"\s+"\w+"|\bprovider\s+"\w+"\s*\{/],
  ['solidity', /```solidity\b|\bpragma solidity\b|\bcontract \w+\s*(?:is \w+\s*)?\{/],
];

/**
 * Domain vocabularies (EN + DE); security needs two distinct hits because its words are common in
 * code. `alsoWhen`: what else, read on the latest user message, puts a request in the domain.
 */
const DOMAIN_RULES: ReadonlyArray<{
  domain: Domain;
  minHits: number;
  matcher: KeywordMatcher;
  alsoWhen?: (lastUser: string) => boolean;
}> = [
  {
    domain: 'security',
    minHits: 2,
    matcher: compileKeywords([
      'vulnerability',
      'vulnerabilities',
      'exploit*',
      'cve-',
      'xss',
      'csrf',
      'ssrf',
      'sql injection',
      'injection',
      'rce',
      'remote code execution',
      'privilege escalation',
      'private key',
      'secret key',
      'jwt',
      'oauth',
      'token',
      'encrypt*',
      'certificate',
      'tls',
      '-----begin',
      'penetration test*',
      'pentest*',
      'owasp',
      'threat model*',
      'authentication bypass',
      'malware',
      'sanitiz*',
      'sicherheitslücke*',
      'schwachstelle*',
      'verschlüssel*',
      'zertifikat*',
      'angriff*',
    ]),
  },
  {
    domain: 'legal',
    minHits: 1,
    alsoWhen: isLegalDutyQuestion,
    matcher: compileKeywords([
      'gdpr',
      'dsgvo',
      'ccpa',
      'compliance',
      'nda',
      'non-disclosure',
      'liability',
      'haftung*',
      'copyright',
      'urheberrecht*',
      'jurisdiction',
      'gerichtsstand',
      'lawsuit',
      'klage',
      'lawyer',
      'attorney',
      'anwalt',
      'rechtsanwalt*',
      'terms of service',
      'agb',
      'data processing agreement',
      'auftragsverarbeitung*',
      'license agreement',
      'indemnif*',
      'arbitration',
      'trademark',
      'datenschutz*',
      'legally',
      'rechtlich*',
      'contract clause',
      'vertragsklausel*',
      'kündigungsfrist*',
    ]),
  },
  {
    domain: 'medical',
    minHits: 1,
    matcher: compileKeywords([
      'diagnosis',
      'differential diagnosis',
      'diagnose',
      'symptom*',
      'icd-',
      'treatment',
      'behandlung',
      'medication*',
      'medikament*',
      'patient*',
      'dosage',
      'dosierung',
      'side effect*',
      'nebenwirkung*',
      'contraindicat*',
      'kontraindikation*',
      'prescription',
      'clinical',
      'klinisch*',
      'therapy',
      'therapie',
      'mg/kg',
      'blood pressure',
      'blutdruck',
      'drug interaction*',
      'wechselwirkung*',
    ]),
  },
  {
    domain: 'finance',
    minHits: 1,
    matcher: compileKeywords([
      'balance sheet',
      'bilanz',
      'ebitda',
      'p&l',
      'cash flow',
      'cashflow',
      'valuation',
      'roi',
      'dcf',
      'discounted cash flow',
      'portfolio',
      'wacc',
      'gross margin',
      'investment*',
      'investition*',
      'stock*',
      'aktie*',
      'dividend*',
      'bond yield',
      'anleihe*',
      'ifrs',
      'gaap',
      'hgb',
      'tax return',
      'steuererklärung',
      'financial audit',
      'jahresabschluss',
    ]),
  },
];

/**
 * A duty, an obligation or a liability (seven languages; German compounds such as
 * "Aufbewahrungspflichten" included) asked about in a legal context: the legal domain, though none
 * of the legal keywords above is named ("Which duties does the new accessibility act put on online
 * shops?"). Both must be in the head of the latest message, where the question sits: a pasted
 * contract names obligations and laws throughout. Issue 16, ninth round.
 */
const LEGAL_DUTY =
  /(?<![\p{L}\p{N}])(?:\p{L}*pflicht\p{L}*|verpflicht\p{L}*|haft(?:et|en|bar\p{L}*|ung\p{L}*)|obligations?|obligated|obliged|dut(?:y|ies)(?! cycle)|liab(?:le|ility)|mandatory|obligatoires?|obligé\p{L}*|tenue?s? de|responsabilité (?:civile|pénale|légale)|obligaci\p{L}+|obligad[oa]s?|obligatori[oa]s?|responsabilidad (?:civil|legal|penal)|obblig\p{L}+|responsabilità (?:civile|legale|penale)|verplicht\p{L}*|\p{L}*plicht\p{L}*|aansprakelijk\p{L}*|obowiąz\p{L}*|zobowiąz\p{L}*|odpowiedzialnoś\p{L}* (?:prawn|cywiln|karn)\p{L}*)(?![\p{L}\p{N}])/u;
const LEGAL_CONTEXT =
  /§|(?<![\p{L}\p{N}])(?:\p{L}*gesetz\p{L}*|\p{L}*verordnung\p{L}*|\p{L}*richtlinie\p{L}*|\p{L}+recht|recht(?:lich|s)\p{L}*|bgb|hgb|stgb|sgb|law|laws|statut\p{L}*|regulations?|directive|legal\p{L}*|legislation|loi|lois|décret|règlement|juridique\p{L}*|légal\p{L}*|ley|leyes|reglamento|decreto|normativa|jurídic\p{L}*|legge|leggi|giuridic\p{L}*|codice civile|wet|wetten|wetgeving|regelgeving|juridisch\p{L}*|wettelijk\p{L}*|ustaw\p{L}*|rozporządzeni\p{L}*|przepis\p{L}*|prawn\p{L}*|kodeks\p{L}*)(?![\p{L}\p{N}])|(?:\p{Lu}\p{L}+ )+Act(?![\p{L}\p{N}])/u;
const LEGAL_DUTY_HEAD_CHARS = 600;

function isLegalDutyQuestion(lastUser: string): boolean {
  const head = lastUser.length > LEGAL_DUTY_HEAD_CHARS ? lastUser.slice(0, LEGAL_DUTY_HEAD_CHARS) : lastUser;
  const lower = head.toLowerCase();
  return LEGAL_DUTY.test(lower) && (LEGAL_CONTEXT.test(lower) || LEGAL_CONTEXT.test(head));
}

const EN_WORDS = new Set(
  'the and is are you what how please can with for this that why does not your have would could should'.split(
    ' ',
  ),
);
const DE_WORDS = new Set(
  'der die das und ist nicht ich mit für auf ein eine wie was bitte kannst du sie mir mein warum wird ohne'.split(
    ' ',
  ),
);

interface MessageView {
  role: string;
  text: string;
  images: number;
  toolCallChars: number;
  isToolResult: boolean;
}

function viewOf(message: RoutingMessage): MessageView {
  const { content } = message;
  let text = '';
  let images = 0;
  let isToolResult = false;
  if (typeof content === 'string') {
    text = content;
  } else if (Array.isArray(content)) {
    const parts: string[] = [];
    for (const part of content as readonly RoutingContentPart[]) {
      const type = part.type;
      if (type === 'image_url' || type === 'image' || type === 'input_image') images += 1;
      else if (type === 'tool_result') isToolResult = true;
      if (typeof part.text === 'string') parts.push(part.text);
    }
    text = parts.length === 1 ? (parts[0] as string) : parts.join('\n');
  }
  let toolCallChars = 0;
  if (message.tool_calls) {
    for (const call of message.tool_calls) {
      toolCallChars += (call.function?.arguments?.length ?? 0) + (call.function?.name?.length ?? 0);
    }
  }
  return { role: message.role, text, images, toolCallChars, isToolResult };
}

/** Characters inside ``` fences (fence lines included); an unclosed fence runs to the end. */
export function countCodeChars(text: string): number {
  let code = 0;
  let position = text.indexOf('```');
  while (position !== -1) {
    const close = text.indexOf('```', position + 3);
    if (close === -1) return code + (text.length - position);
    code += close + 3 - position;
    position = text.indexOf('```', close + 3);
  }
  return code;
}

/** The token estimate of one text: prose/3.5 + code/1.5 (not rounded; callers round the total). */
export function estimateTextTokens(text: string): number {
  const code = countCodeChars(text);
  return (text.length - code) / PROSE_CHARS_PER_TOKEN + code / CODE_CHARS_PER_TOKEN;
}

function isToolOutputText(text: string): boolean {
  return TOOL_OUTPUT_PREFIX.test(text.length > 80 ? text.slice(0, 80) : text);
}

/** A message that is nothing but one fenced code block (a bare completion request). */
function isBareCodeBlock(text: string): boolean {
  const trimmed = text.trim();
  const open = trimmed.indexOf('```');
  if (open === -1) return false;
  const close = trimmed.indexOf('```', open + 3);
  if (close === -1 || trimmed.indexOf('```', close + 3) !== -1) return false;
  const prose = trimmed.length - (close + 3 - open);
  return prose < BARE_CODE_MAX_PROSE;
}

function markerWindow(text: string): string {
  return text.length <= MARKER_WINDOW * 2
    ? text
    : `${text.slice(0, MARKER_WINDOW)}\n${text.slice(-MARKER_WINDOW)}`;
}

export function detectLanguage(text: string): 'en' | 'de' | 'other' {
  const sample = (text.length > 1000 ? text.slice(0, 1000) : text).toLowerCase();
  let en = 0;
  let de = /[äöüß]/.test(sample) ? 2 : 0;
  for (const word of sample.split(/[^\p{L}]+/u)) {
    if (EN_WORDS.has(word)) en += 1;
    else if (DE_WORDS.has(word)) de += 1;
  }
  if (en === 0 && de === 0) return 'other';
  return de > en ? 'de' : 'en';
}

/** Chat messages, or the legacy prompt as one user message plus the count of pre-tokenised ids. */
function messagesOf(input: RoutingInput): { messages: readonly RoutingMessage[]; tokenIds: number } {
  if (input.messages && input.messages.length > 0) return { messages: input.messages, tokenIds: 0 };
  const { prompt } = input;
  if (typeof prompt === 'string') return { messages: [{ role: 'user', content: prompt }], tokenIds: 0 };
  if (!Array.isArray(prompt)) return { messages: [], tokenIds: 0 };
  const texts: string[] = [];
  let tokenIds = 0;
  for (const entry of prompt as readonly unknown[]) {
    if (typeof entry === 'string') texts.push(entry);
    else if (typeof entry === 'number') tokenIds += 1;
    else if (Array.isArray(entry)) tokenIds += entry.length;
  }
  return { messages: [{ role: 'user', content: texts.join('\n') }], tokenIds };
}

function countToolChars(tools: readonly unknown[]): number {
  try {
    return JSON.stringify(tools).length;
  } catch {
    return tools.length * 400;
  }
}

export function extractSignals(input: RoutingInput): ExtractedSignals {
  const { messages, tokenIds } = messagesOf(input);
  let proseChars = 0;
  let codeChars = 0;
  let imageCount = 0;
  let conversationTurns = 0;
  let systemText = '';
  let lastUserIndex = -1;
  let previousUserIndex = -1;
  let lastAnyUserIndex = -1;
  let firstUserIndex = -1;
  let nonSystemCount = 0;
  let toolTraffic = false;
  let lastUserTokens = 0;
  let systemTokens = 0;
  const views: MessageView[] = new Array<MessageView>(messages.length);

  for (let index = 0; index < messages.length; index += 1) {
    const view = viewOf(messages[index] as RoutingMessage);
    views[index] = view;
    const fenced = countCodeChars(view.text);
    const code = fenced + view.toolCallChars;
    const prose = view.text.length - fenced;
    codeChars += code;
    proseChars += prose;
    imageCount += view.images;
    if (view.role === 'system' || view.role === 'developer') {
      if (systemText.length < SYSTEM_CAP)
        systemText += (systemText ? '\n' : '') + view.text.slice(0, SYSTEM_CAP);
      systemTokens += prose / PROSE_CHARS_PER_TOKEN + code / CODE_CHARS_PER_TOKEN + TOKENS_PER_MESSAGE;
      continue;
    }
    nonSystemCount += 1;
    if (view.role === 'tool' || view.role === 'function' || view.toolCallChars > 0) toolTraffic = true;
    if (view.role !== 'user') continue;
    if (firstUserIndex === -1) firstUserIndex = index;
    lastAnyUserIndex = index;
    if (view.isToolResult || isToolOutputText(view.text)) {
      toolTraffic = true;
      continue;
    }
    conversationTurns += 1;
    previousUserIndex = lastUserIndex;
    lastUserIndex = index;
  }

  const lastView = views[views.length - 1];
  const lastAnyUser = lastAnyUserIndex >= 0 ? views[lastAnyUserIndex] : undefined;
  const isToolContinuation =
    lastView !== undefined &&
    (lastView.role === 'tool' ||
      lastView.role === 'function' ||
      (lastView.role === 'user' && lastAnyUser !== undefined && lastAnyUserIndex !== lastUserIndex));

  const lastUserRaw = lastUserIndex >= 0 ? (views[lastUserIndex] as MessageView).text : '';
  if (lastUserIndex >= 0) {
    lastUserTokens = estimateTextTokens(lastUserRaw) + TOKENS_PER_MESSAGE;
  }
  const texts: SignalTexts = {
    system: systemText,
    lastUser: headTail(lastUserRaw, USER_CAP),
    previousUser:
      previousUserIndex >= 0 ? headTail((views[previousUserIndex] as MessageView).text, 1500) : '',
  };

  const tools = input.tools ?? [];
  const toolChars = tools.length > 0 ? countToolChars(tools) : 0;
  const hasTools = tools.length > 0 || (input.tool_choice != null && input.tool_choice !== 'none');

  const tokens: TokenEstimate = {
    total: Math.ceil(
      proseChars / PROSE_CHARS_PER_TOKEN +
        (codeChars + toolChars) / CODE_CHARS_PER_TOKEN +
        TOKENS_PER_MESSAGE * messages.length +
        TOKENS_PER_IMAGE * imageCount +
        tokenIds,
    ),
    proseChars,
    codeChars,
    messages: messages.length,
    images: imageCount,
    tools: Math.ceil(toolChars / CODE_CHARS_PER_TOKEN),
    lastUserMessage: Math.ceil(lastUserTokens),
    systemPrompt: Math.ceil(systemTokens),
  };

  const fimReason = detectFim(input, views, firstUserIndex, lastAnyUserIndex, nonSystemCount, systemText);
  const fromText = textSignals(texts);
  const signals: RoutingSignals = {
    tokens,
    hasImages: imageCount > 0,
    imageCount,
    hasTools,
    toolCount: tools.length,
    messageCount: messages.length,
    conversationTurns,
    isToolContinuation,
    isFim: fimReason !== null,
    fimReason,
    isAgent: toolTraffic || AGENT_SYSTEM.test(systemText),
    domains: [...fromText.domains],
    codeLanguages: [...fromText.codeLanguages],
    hasCode: fromText.hasCode,
    frustration: fromText.frustration,
    longOutputRequested: fromText.longOutputRequested,
    language: fromText.language,
    cues: withTelemetryTriage(fromText.cues, systemText, isToolContinuation),
  };
  return { signals, texts };
}

/** The signals read from the capped texts alone (keyword domains, languages, tone, task cues). */
interface TextSignals {
  readonly domains: readonly Domain[];
  readonly codeLanguages: readonly string[];
  readonly hasCode: boolean;
  readonly frustration: boolean;
  readonly longOutputRequested: boolean;
  readonly language: RoutingSignals['language'];
  readonly cues: NonNullable<RoutingSignals['cues']>;
}

/**
 * Texts of the last requests and what they gave. An agent loop resends the same system prompt and
 * user turn with every tool result, and these regexes cost a full scan of up to ~11 000
 * characters each (issue 18): the result depends on the texts only, so a repeat is answered exactly.
 */
const recentTextSignals = new Map<string, TextSignals>();
const TEXT_MEMO_ENTRIES = 32;
const TEXT_MEMO_MIN_CHARS = 1024;

function textSignals(texts: SignalTexts): TextSignals {
  const size = texts.lastUser.length + texts.system.length + texts.previousUser.length;
  const key =
    size >= TEXT_MEMO_MIN_CHARS
      ? `${texts.lastUser}\u0000${texts.system}\u0000${texts.previousUser}`
      : undefined;
  const known = key === undefined ? undefined : recentTextSignals.get(key);
  if (known) return known;
  const scanText = `${texts.lastUser}\n${texts.system}`;
  const domains: Domain[] = [];
  for (const rule of DOMAIN_RULES) {
    if (rule.matcher.hits(scanText).length >= rule.minHits || rule.alsoWhen?.(texts.lastUser))
      domains.push(rule.domain);
  }
  const codeLanguages: string[] = [];
  for (const [language, pattern] of CODE_LANGUAGES)
    if (pattern.test(texts.lastUser)) codeLanguages.push(language);
  const result: TextSignals = {
    domains,
    codeLanguages,
    hasCode: codeLanguages.length > 0 || texts.lastUser.includes('```'),
    frustration: FRUSTRATION.test(texts.lastUser),
    longOutputRequested: LONG_OUTPUT.test(texts.lastUser),
    language: detectLanguage(texts.lastUser),
    cues: detectTaskCues(
      texts.lastUser,
      texts.system,
      domains.length === 0 && !texts.previousUser,
      texts.previousUser,
    ),
  };
  if (key !== undefined) {
    if (recentTextSignals.size >= TEXT_MEMO_ENTRIES)
      recentTextSignals.delete(recentTextSignals.keys().next().value as string);
    recentTextSignals.set(key, result);
  }
  return result;
}

function detectFim(
  input: RoutingInput,
  views: readonly MessageView[],
  firstUserIndex: number,
  lastUserIndex: number,
  nonSystemCount: number,
  systemText: string,
): FimReason | null {
  if (input.fim === true) return 'flag';
  if (typeof input.suffix === 'string') return 'suffix';
  const first = firstUserIndex >= 0 ? (views[firstUserIndex] as MessageView).text : '';
  const last = lastUserIndex >= 0 ? (views[lastUserIndex] as MessageView).text : '';
  if (
    FIM_MARKER.test(markerWindow(first)) ||
    (lastUserIndex !== firstUserIndex && FIM_MARKER.test(markerWindow(last)))
  ) {
    return 'marker';
  }
  if (FIM_MARKER.test(systemText)) return 'marker';
  if (FIM_STRONG_PHRASE.test(systemText) || FIM_SYSTEM_PHRASE.test(systemText.slice(0, 600)))
    return 'system_prompt';
  if (FIM_STRONG_PHRASE.test(first.slice(0, 1500))) return 'system_prompt';
  if (nonSystemCount === 1 && firstUserIndex >= 0 && isBareCodeBlock(first)) return 'bare_code_block';
  return null;
}
