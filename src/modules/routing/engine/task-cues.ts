/**
 * Task cues: language-independent facts about what the latest request asks for, found by small
 * multilingual patterns (EN, DE, FR, ES, IT, NL, PL) rather than by the category classifier, whose
 * examples cannot cover every phrasing. Each cue bounds the tier in `combine`:
 *
 * - `greeting`, `chat_title`: the whole message is a greeting/thanks, or asks for a title, tags or
 *   a one-line summary of the chat → micro/minimal categories, decided with confidence;
 * - `easy_edit`: the message opens with an easy instruction on pasted text (translate, fix the
 *   typos, extract the dates or names, make a table, summarise in a few points) → at most low,
 *   however long the pasted text is;
 * - `short_question`: a short plain question with no code and no other cue → at most low when the
 *   classifier is unsure;
 * - `critical_domain`: a personal medical, legal, tax/finance situation or a live security
 *   incident (two independent hits; a follow-up keeps the situation of the user turn before it
 *   when it names the same domain once itself) → at least high; a pasted document whose short
 *   first or last paragraph only asks for an easy transformation of it (a table, a FAQ, a
 *   translation) and no judgement is judged by that instruction alone, not by the pasted body;
 * - `security_review`: a security review of code or a system → at least advanced;
 * - `formal_proof` / `proof_request`: formal verification vocabulary, or a request to prove
 *   something → at least high; the formal-verification cue is also what lets a guess of the
 *   classifier reach ultra (see {@link UNCONFIRMED_TOP_TIERS});
 * - `architecture`: architecture, migration or re-platforming work → at least advanced;
 * - `concurrency`: a race condition, deadlock or lost update, or a failure that comes and goes
 *   under parallel work → at least advanced;
 * - `real_work`: writing a script, function or query, reviewing code (seven languages), reading a
 *   query plan, a delicate business email → at least low (a micro/minimal model does these
 *   unreliably; the floor holds against a cap of the tier model);
 * - `simple_explanation`: the asker wants it simple or short ("short answer", "explain it simply",
 *   "I'm not a developer") → at most medium, below any floor of another cue.
 * - `terse_answer`: only a number, a name or a word is wanted ("just the version number, nothing
 *   else") → at most low, below any floor of another cue (a critical situation still floors).
 *
 * Patterns run on capped texts (signals caps the user message at 6 000 characters); instruction
 * cues only read the first few hundred characters, where instructions sit.
 */
import { compareTiers, maxTier, minTier, type Tier } from '../../../common/tiers';
import type { OverrideRecord } from '../router.interface';
import type { Combined } from './combine';
import {
  BOSS,
  INCIDENT_EVENT_MORE,
  INCIDENT_MORE,
  LEGAL_MORE,
  MEDICAL_MORE,
  PERSONAL_STAKES,
  TAX_MORE,
} from './critical-lexicon';
import { compileVocabulary, WORD, type Vocabulary } from './keyword-vocabulary';
import type { RoutingCategory } from './routing.types';

export type TaskCue =
  | 'greeting'
  | 'chat_title'
  | 'easy_edit'
  | 'short_question'
  | 'critical_domain'
  | 'security_review'
  | 'formal_proof'
  | 'proof_request'
  | 'architecture'
  | 'concurrency'
  | 'real_work'
  | 'simple_explanation'
  | 'terse_answer';

/** What a cue does to the decision. */
export interface CueEffect {
  /** Category the cue decides (when it exists in the catalogue). */
  category?: string;
  /** Confidence the decision gets at least. */
  confidence?: number;
  floor?: Tier;
  cap?: Tier;
}

export const CUE_EFFECTS: Readonly<Record<TaskCue, CueEffect>> = {
  greeting: { category: 'smalltalk', confidence: 0.9, cap: 'minimal' },
  chat_title: { category: 'chat_title', confidence: 0.9, cap: 'micro' },
  easy_edit: { confidence: 0.5, cap: 'low' },
  short_question: { cap: 'low' },
  critical_domain: { floor: 'high' },
  security_review: { floor: 'advanced' },
  formal_proof: { floor: 'high' },
  proof_request: { floor: 'high' },
  architecture: { floor: 'advanced' },
  concurrency: { floor: 'advanced' },
  real_work: { floor: 'low' },
  simple_explanation: { cap: 'medium' },
  terse_answer: { cap: 'low' },
};

const HEAD_CHARS = 400;
const GREETING_MAX_CHARS = 80;
const SHORT_QUESTION_MAX_WORDS = 14;
const DEPLOYED_SYSTEM_CHARS = 600;
const DEPLOYED_REQUEST_WORDS = 40;
const CONCURRENCY_CHARS = 2000;

/** A message made only of greetings, thanks, goodbyes and small words (and emoji/punctuation). */
const GREETING_WORDS = new Set(
  (
    'hi hello hey hiya yo morning evening good thanks thank thx ty you so much very many a lot cheers bye goodbye ' +
    'great awesome perfect nice cool ok okay works worked it everything all now day have your for the help ' +
    'hallo servus moin guten morgen tag abend danke dankeschön vielen lieben herzlichen dank super toll tschüss ' +
    'bis bald schönen einen es klappt alles funktioniert jetzt gestern hilfe die für deine ihre ' +
    'bonjour salut bonsoir coucou merci beaucoup bonne journée soirée ça va au revoir à bientôt parfait génial pour ton votre aide ' +
    'hola buenos buenas días tardes noches gracias muchas mil qué tal adiós hasta luego perfecto genial eres un crack me ayudas con una cosa por tu la ayuda de ayer ' +
    'ciao buongiorno buonasera grazie mille tante perfetto come stai arrivederci a presto per il tuo aiuto di ieri ' +
    'hoi dag goedemorgen goedemiddag bedankt dank je wel fijne dag tot ziens ' +
    'cześć dzień dobry dobry wieczór dzięki dziękuję bardzo wszystko działa do widzenia miłego dnia ' +
    'dir dich euch hat geklappt marche fonctionne funciona funziona werkt u'
  ).split(' '),
);
const GREETING_CORE =
  /\b(?:hi|hello|hey|thanks|thank you|thx|ty|cheers|bye|hallo|moin|servus|danke|tschüss|bonjour|salut|merci|coucou|hola|buen[oa]s|gracias|adiós|ciao|buongiorno|grazie|hoi|bedankt|dank je|cześć|dzień dobry|dzięki|dziękuję)\b/iu;

const CHAT_TITLE =
  /\b(?:titles?|titel|titres?|títulos?|titol[oi]|tytuł\p{L}*|tags?|headings?|überschrift(?:en)?)\b[^.\n]{0,80}\b(?:conversations?|chats?|threads?|dialog(?:ue)?s?|unterhaltung(?:en)?|gespräch(?:e|en)?|konversation(?:en)?|chatverl\p{L}*|gesprächsverl\p{L}*|conversaci(?:ón|ones)|conversazion[ei]|gesprek(?:ken)?|rozmow\w*|discussions?)\b|\b(?:conversation|chat|thread|discussion|diskussion|unterhaltung|gespräch|conversación|discusión|conversazione|discussione|gesprek|discussie|rozmow\w*|dyskusj\w*)\b[^.\n]{0,60}\b(?:title|titel|titre|título|titolo|tytuł)\b|\bsummari[sz]e (?:this|the|our) (?:chat|conversation) in (?:one|a single) (?:line|sentence)\b|\b(?:3|three|drei|trois|tres|tre)[- ](?:5|five|fünf|cinq|cinco|cinque)? ?(?:word|wort|mot|palabra|parol)\w* (?:title|titel|titre|título|titolo)\b/iu;

/** Easy instructions at the start of the message (imperatives in seven languages). */
const EASY_EDIT =
  /^\W{0,3}(?:(?:thanks|thank you|danke|merci|gracias|grazie|bedankt|dzięki|ok(?:ay)?|great|perfect|super|parfait|perfecto|perfetto|prima)\W+)?(?:(?:please|bitte|por favor|per favore|s'il te plaît|proszę)\W+)?(?:(?:(?:can|could|would) you(?: please)?|peux-tu|pouvez-vous|pourrais-tu|pourriez-vous|(?:me )?puedes|(?:me )?podrías|(?:mi )?puoi|(?:mi )?potresti|mi|me|możesz|czy możesz|kun je|kan je|kunt u)\W+)?(?:translate|übersetze?|traduis|traduire|trad[uú]c\p{L}*|tradurre|vertaal|przetłumacz|fix (?:the |all |only the |just the )?(?:typos|spelling|grammar)|(?:just |only )?(?:correct|fix) (?:the )?(?:typos|spelling|grammar|punctuation)|proofread|korrigiere|verbessere|corrige[rz]?|correggi|corrigeer|popraw|(?:pull out|extract|list|find) (?:every|all|the)? ?(?:[\w-]+ ){0,3}(?:dates?|deadlines?|names?|(?:invoice|order|phone|reference|ticket|tracking|serial|part) numbers?|ids?|emails?|e-mails?|phone numbers?|amounts?|prices?|figures?|urls?|links?|hostnames?|hosts?|ports?|ip addresses|ips|decisions?|action items?|headings?|titles?)\b|(?:liste|nenne) (?:mir )?(?:[\p{L}.-]+ ){0,5}?(?:alle |sämtliche |die )?\p{L}*(?:namen|daten|termine|fristen|e-mails|adressen|beträge|überschriften)\b|(?:liste|énumère) (?:tous |toutes )?(?:les )?(?:noms|dates|e-mails|titres)\b|(?:lista|enumera) (?:todos |todas )?(?:los |las )?(?:nombres|fechas|correos|títulos)\b|elenca (?:tutti |tutte )?(?:i |le |gli )?(?:nomi|date|email|titoli)\b|(?:noem|geef) (?:alle |de )?\p{L}*(?:namen|datums|e-mails|titels)\b|(?:wypisz|wymień) (?:wszystkie )?(?:\p{L}+ )?(?:nazwy|daty|e-maile|tytuły)\b|extrahiere|extrae|extrais|estrai|haal .{0,20} uit|wyodrębnij|(?:turn|convert|put) (?:this|it|these|the \w+) into (?:a )?(?:table|list|bullet|json|csv|markdown)|(?:make|create) a (?:table|bullet list|list) (?:of|from|out of)|mach(?:e)? (?:aus|daraus|eine (?:tabelle|liste))|erstelle eine (?:tabelle|liste)|(?:convierte|convertir|transforma|converti|convertis|transforme|trasforma|zet|konwertuj|przekształć|zamień|wandle|konvertiere|verwandle|convert|turn|mets|mettez|pon|ponlo|ponme|metti|mettilo|mettili|put|format|przedstaw)\b.{0,60}?\b(?:en|in|into|na|om|to|zu|w|as|als|sous forme d[e'’]|en forma de|in forma di|w formie|in form einer) (?:(?:una?|un|une|a|an|een|eine|ein)\s)?(?:tabla|tableau|tabella|tabel|tabel[aęi]|tabelle|table|json|csv|markdown|yaml)|fais un tableau|haz una tabla|crea una tabla|fai una tabella|maak een tabel|zrób tabelę|summari[sz]e (?:this|the following|in \d|in (?:one|two|three|a few)|it in)|tl;?dr|fasse? .{0,60}zusammen|résume[rz]?|resume (?:este|esto|en)|resumir|riassumi|vat .{0,40}samen|streszcz|podsumuj|rewrite (?:this|it) (?:(?:a bit |a little |much )?more )?(?:politely|formally|shorter|simpler|concisely|casually|informally|clearly|briefly|professionally)|(?:nur |lediglich )?(?:die |alle )?(?:[\p{L}-]+ (?:und|&) )?(?:\p{L}*fehler|rechtschreibung|grammatik|zeichensetzung|kommasetzung)\b.{0,40}?\b(?:korrigieren|verbessern|beheben|ausbessern)|corregir|corrija|correggere|verbeter|poprawić|(?:fais|faites)(?:-moi)? un résumé|donne-moi un résumé|(?:haz|hazme|dame) un resumen|(?:fammi|fai) un riassunto|(?:maak|geef) (?:me )?een samenvatting|zrób (?:mi )?(?:streszczenie|podsumowanie)|(?:give me|write|make) (?:me )?a (?:short |brief |quick )?summary|(?:mach|schreib|erstell|gib)\p{L}* (?:mir )?(?:daraus |davon |hieraus |bitte )?(?:eine )?(?:\p{L}+ )?zusammenfassung|formuliere .{0,30}(?:höflicher|freundlicher|kürzer|um)|reformule|reformula|riformula|rephrase|reword|herformuleer|(?:formuleer|schrijf) .{0,30}(?:netter|vriendelijker|beleefder|korter|zakelijker)|(?:dit|deze|het)\b.{0,30}\b(?:netter|vriendelijker|beleefder|korter|zakelijker) (?:formuleren|verwoorden|schrijven|opschrijven)|przeformułuj|(?:sformułuj|napisz) .{0,30}(?:grzeczniej|uprzejmiej|krócej|przyjaźniej)|(?:riscrivi|riscrivila|riscrivilo) .{0,30}(?:più )?(?:gentile|cortese|formale|breve|educat)|(?:reescribe|reescríbelo|reescríbela|réécris) .{0,30}(?:más |plus )?(?:amable|formal|corto|breve|poli|court|aimable))/iu;

/** A follow-up that says it changes the subject (seven languages). */
const TOPIC_SWITCH =
  /(?<![\p{L}\p{N}])(?:unrelated|(?:a |one )?(?:different|new|other|another) (?:question|topic|subject|thing)|something (?:else|different)|on another note|change of (?:topic|subject)|anderes thema|andere frage|(?:ganz )?was anderes|themawechsel|apropos|autre (?:sujet|question|chose)|rien à voir|changement de sujet|otro tema|otra pregunta|otra cosa|cambiando de tema|cambio de tema|altro argomento|altra domanda|cambiando argomento|un'altra cosa|ander onderwerp|andere vraag|iets anders|inny temat|inne pytanie|zmieniając temat|coś innego)(?![\p{L}\p{N}])/iu;

/** Hard reasoning that an easy-looking instruction must not hide (kept conservative). */
const NOT_EASY =
  /\b(?:analy[sz]e|evaluate|assess|bewerte|analysiere|critique|(?<!(?:incident|mortem|business|quarterly|annual|performance|literature|peer) )review|risks?|implications?|legal advice)\b/iu;

/**
 * A short follow-up that only asks for another tone or length of the previous answer ("a bit more
 * casual", "etwas förmlicher bitte", "un peu plus court", "más informal"): an easy edit.
 */
const STYLE_TWEAK =
  /^\W{0,3}(?:(?:please|bitte|por favor|per favore|stp|proszę)\W+)?(?:(?:make|rendilo|rendila|rends-le|rends-la|hazlo|mach|maak|zrób)(?: (?:it|this|es|het|to))? )?(?:(?:(?:a )?(?:bit|little|slightly|much|way|even) )?(?:shorter|longer|simpler|friendlier|warmer|more (?:casual|formal|concise|polite|friendly|informal|professional|relaxed|playful|direct))|(?:etwas |ein (?:bisschen|wenig) |noch |viel )?(?:lockerer|förmlicher|formeller|informeller|kürzer|knapper|freundlicher|höflicher|einfacher|netter|lustiger|sachlicher|persönlicher)|(?:un peu |beaucoup |encore )?(?:plus|moins) (?:court|courte|long|longue|décontracté|formel|formelle|simple|poli|amical|chaleureux|concis|léger|sobre|familier)|(?:un poco |algo |mucho )?más (?:corto|corta|informal|formal|sencillo|sencilla|amable|cercano|cercana|breve|educado|divertido|directo)|(?:un po['’]? ?|un pò |molto )?più (?:breve|corto|corta|formale|informale|semplice|gentile|cordiale|leggero|simpatico|diretto)|(?:iets |wat |veel |nog )?(?:korter|vriendelijker|formeler|informeler|eenvoudiger|beleefder|luchtiger|zakelijker|losser)|(?:trochę |nieco |dużo )?(?:krócej|krótsze|prościej|luźniej|bardziej (?:formalnie|luźno|na luzie|uprzejmie|przyjaźnie)))(?=\s*(?:$|[,.!;:)]|(?:please|bitte|stp|por favor|per favore|graag|proszę|and|und|et|y|e|en|i|oraz|but|aber|mais|pero|ma|maar|ale)(?![\p{L}\p{N}])))/iu;
const STYLE_TWEAK_MAX_CHARS = 160;
/** "Too long, keep it to three sentences": a short follow-up that only shortens the last answer. */
const SHORTEN =
  /(?<![\p{L}\p{N}])(?:too long|zu lang|trop long\p{L}*|demasiado larg[oa]|troppo lung[oa]|te lang|za dług\p{L}*|(?:keep|cut|shorten|trim) it (?:down )?to|kürz\p{L}* (?:es |das |ihn |sie |den text )?auf|réduis(?:-le| le| la)? (?:à|en)|déjalo en|redúcelo a|acórtalo a|riducil[oa] a|accorcial[oa] a|maak het korter|kort het in tot|skróć (?:to |go |ją )?do)(?![\p{L}\p{N}])/iu;

const CODE_HINT = /```|[{};]\s*$|\b(?:def|function|class|SELECT|import)\b/m;

/** Personal high-stakes situations and live incidents; each list needs two distinct hits. */
const CRITICAL_VOCABULARIES: readonly Vocabulary[] = [
  // medical: drugs, dosing, clinical findings, patients (EN DE FR ES IT NL PL)
  compileVocabulary([
    'dose',
    'dosing',
    'dosage',
    'dosis',
    'dosierung',
    'posologie',
    'dosaggio',
    'dawk*',
    'mg',
    'mg/kg',
    'ml/min',
    'insulin*',
    'anticoagul*',
    'blood thinner*',
    'blutverdünn*',
    'warfarin*',
    'warfaryn*',
    'marcumar',
    'apixaban*',
    'rivaroxaban*',
    // drugs a question about dosing or interactions names (prefixes: warfarina, amoxicilline, ...)
    'amoxicil*',
    'antidepress*',
    'antidepresiv*',
    'antydepres*',
    'sertralin*',
    'prednisol*',
    'cortison*',
    'methotrex*',
    'metotrex*',
    'levothyrox*',
    'digoxin*',
    'morphin*',
    'morfin*',
    'oxycodon*',
    'tramadol',
    'fentanyl*',
    'rifampicin*',
    'lithium',
    // conditions, spelled per language (diabético is not diabet*)
    'diabét*',
    'diabèt*',
    'hypertens*',
    'hipertens*',
    'ipertens*',
    'nadciśnieni*',
    'epilep*',
    'dementia',
    'demenz',
    'démence',
    'demencia',
    'demenza',
    'dementie',
    'patient',
    'patiente',
    'paciente',
    'paziente',
    'patiënt',
    'pacjent*',
    'eliquis',
    'xarelto',
    'enalapril',
    'ramipril',
    'furosemid*',
    'spironolact*',
    'metformin*',
    'ibuprofen',
    'paracetamol',
    'antibiotic*',
    'antibiotik*',
    'antibiotique*',
    'antibiótico*',
    'antibiotico*',
    'pille',
    'the pill',
    'pilule',
    'píldora',
    'pillola',
    'johanniskraut',
    "st john's wort",
    'millepertuis',
    'hipérico',
    'iperico',
    'ketoacid*',
    'ketoazidose',
    'cétoacidose',
    'cetoacidosis',
    'chetoacidosi',
    'kwasic*',
    'cukrzyc*',
    'diabet*',
    'renal failure',
    'kidney failure',
    'niereninsuff*',
    'insuffisance rénale',
    'insuficiencia renal',
    'insufficienza renale',
    'nierfalen',
    'chest pain',
    'brustschmerz*',
    'douleur thoracique',
    'dolor torácico',
    'dolore toracico',
    'pijn op de borst',
    'ból w klatce',
    'vomit*',
    'erbrechen',
    'vomissement*',
    'vómito*',
    'vomito',
    'braken',
    'wymiot*',
    'blutwerte',
    'blood test*',
    'blood work',
    'analyse de sang',
    'analyses de sang',
    'análisis de sangre',
    'analisi del sangue',
    'bloedwaarden',
    'badania krwi',
    'stuhltest',
    'biopsy',
    'biopsie',
    'biopsia',
    'tumor*',
    'tumeur*',
    'cancer',
    'krebs',
    'pregnant',
    'schwanger*',
    'enceinte',
    'embarazada',
    'incinta',
    'zwanger',
    'w ciąży',
    'side effect*',
    'nebenwirkung*',
    'effets secondaires',
    'efectos secundarios',
    'effetti collaterali',
    'bijwerking*',
    'skutki uboczne',
    'interaction*',
    'wechselwirkung*',
    'interacción',
    'interazione',
    'symptom*',
    'symptôme*',
    'síntoma*',
    'sintom*',
    'objaw*',
    'my doctor',
    'his doctor',
    'her doctor',
    'arzt',
    'ärztin',
    'hausarzt',
    'médecin',
    'médico',
    'medico',
    'huisarts',
    'lekarz*',
    'prescribed',
    'verschrieben',
    'prescrit',
    'recetado',
    'prescritto',
    'voorgeschreven',
    'przepisał*',
    'fever',
    'fieber',
    'fièvre',
    'fiebre',
    'febbre',
    'koorts',
    'gorączk*',
    'glucose',
    'blood sugar',
    'blutzucker',
    'glycémie',
    'glucemia',
    'glicemia',
    'bloedsuiker',
    'cukier',
    'mmol*',
    'mg/dl',
    'overdose',
    'überdosis',
    'stroke',
    'schlaganfall',
    'avc',
    'ictus',
    'udar',
    'seizure*',
    'krampfanfall',
    'convulsion*',
    'shortness of breath',
    'atemnot',
    'essoufflement',
    'disnea',
    'dispnea',
    'benauwd',
    'duszności',
    'allergic',
    'allergisch',
    'allergique',
    'alérgic*',
    'allergic*',
    'infection',
    'infektion',
    'entzündung',
    'infección',
    'infezione',
    'ontsteking',
    'zakażeni*',
    'bleeding',
    'blutung',
    'saignement',
    'sangrado',
    'sanguinamento',
    'bloeding',
    'krwawieni*',
    ...MEDICAL_MORE,
    ...PERSONAL_STAKES,
  ]),
  // legal: dismissal, eviction, arrest, court, rights (EN DE FR ES IT NL PL)
  compileVocabulary([
    'fired',
    'dismiss*',
    'wrongful termination',
    'gekündigt',
    'kündigung',
    'fristlos*',
    'licenciement',
    'licencié',
    'entretien préalable',
    'despido',
    'despedido',
    'licenziament*',
    'licenziato',
    'ontslag',
    'ontslagen',
    'zwolnien*',
    'wypowiedzeni*',
    'evict*',
    'räumung*',
    'räumungsklage',
    'expulser',
    'expulsion',
    'desahucio',
    'desalojo',
    'sfratt*',
    'uitzetting',
    'eksmisj*',
    'landlord',
    'vermieter*',
    'hausverwaltung',
    'propriétaire',
    'casero',
    'arrendador',
    'padrone di casa',
    'verhuurder',
    'wynajmując*',
    'changed the locks',
    'arrest*',
    'dui',
    'dwi',
    'festgenommen',
    'verhaftet',
    'führerschein',
    'garde à vue',
    'detenido',
    'arrestato',
    'aangehouden',
    'zatrzyman*',
    'court',
    'gericht',
    'tribunal',
    'tribunale',
    'rechtbank',
    'sąd',
    'lawsuit',
    'sue',
    'sued',
    'klage',
    'verklagen',
    'procès',
    'demanda',
    'denuncia',
    'lawyer',
    'attorney',
    'anwalt',
    'rechtsanwalt',
    'avocat',
    'abogado',
    'avvocato',
    'advocaat',
    'adwokat*',
    'prawnik*',
    'sick leave',
    'krankschreibung',
    'krankgeschrieben',
    'arrêt maladie',
    'baja médica',
    'ziekteverlof',
    'zwolnienie lekarskie',
    'untervermietung',
    'sublet*',
    'abmahnung',
    'mise en demeure',
    'my rights',
    'meine rechte',
    'mes droits',
    'mis derechos',
    'i miei diritti',
    'mijn rechten',
    'moje prawa',
    'unpaid rent',
    'impayés',
    'mietrückstand',
    'custody',
    'sorgerecht',
    'divorce',
    'scheidung',
    'divorcio',
    'divorzio',
    'immigration',
    'deport*',
    'police',
    'polizei',
    'policía',
    'polizia',
    'politie',
    'policja',
    'tenant',
    'mieter',
    'locataire',
    'inquilino',
    'huurder',
    'najemc*',
    'deposit',
    'kaution',
    'caution',
    'fianza',
    'cauzione',
    'borg',
    'kaucj*',
    'employer',
    'arbeitgeber',
    'employeur',
    'empleador',
    'datore di lavoro',
    'werkgever',
    'pracodawc*',
    'severance',
    'abfindung',
    'indemnité',
    'indemnización',
    'liquidazione',
    'odprawa',
    'notice period',
    'convocation',
    'vorladung',
    'citación',
    'citazione',
    'dagvaarding',
    'wezwanie',
    ...LEGAL_MORE,
    ...PERSONAL_STAKES,
    ...BOSS,
  ]),
  // tax and personal finance with authorities or penalties
  compileVocabulary([
    'tax*',
    'steuer*',
    'impôt*',
    'fiscal*',
    'impuesto*',
    'hacienda',
    'tasse',
    'belasting*',
    'podat*',
    'irs',
    'hmrc',
    'finanzamt',
    'agenzia delle entrate',
    'urząd skarbowy',
    'fbar',
    'fatca',
    'undeclared',
    'unreported',
    'nicht erklärt*',
    'nicht angegeben',
    'non déclaré*',
    'no declarad*',
    'non dichiarat*',
    'selbstanzeige',
    'penalt*',
    'strafe',
    'amende',
    'multa',
    'sanzion*',
    'boete',
    'kara',
    'foreign account*',
    'auslandskonto*',
    'offshore',
    'inheritance',
    'erbschaft*',
    'héritage',
    'herencia',
    'eredità',
    'capital gains',
    'kapitalertr*',
    'tax return',
    'steuererklärung',
    'déclaration de revenus',
    'declaración de la renta',
    'dichiarazione dei redditi',
    'aangifte',
    'zeznanie',
    'audit',
    'betriebsprüfung',
    'back taxes',
    'nachzahlung',
    'redressement',
    'vat',
    'tva',
    'iva',
    'btw',
    'mwst',
    'umsatzsteuer',
    'gmbh & co. kg',
    ...TAX_MORE,
  ]),
  // live security incidents: what happened + what is at stake
  compileVocabulary([
    'leaked',
    'leak',
    'exposed',
    'compromised',
    'breach*',
    'ransomware',
    'encrypted all',
    '.locked',
    'ransom',
    'malware',
    'cryptominer',
    'miner',
    'backdoor',
    'intrusion',
    'intruder',
    'unauthorized',
    'unauthorised',
    'unauthorized access',
    'suspicious',
    'unknown host*',
    'unknown process*',
    'unknown ip',
    'cloudtrail',
    'geleakt',
    'kompromittiert',
    'verschlüsselt',
    'erpress*',
    'öffentlich einsehbar',
    'öffentlich zugänglich',
    'unbekannte*',
    'verdächtig*',
    'fuite',
    'compromis',
    'piraté',
    'rançongiciel',
    'exposée',
    'exposées',
    'exposés',
    'filtrad*',
    'comprometid*',
    'hackead*',
    'sospechos*',
    'violazione',
    'compromess*',
    'sospett*',
    'gelekt',
    'gehackt',
    'datalek',
    'verdacht*',
    'wyciek*',
    'włamani*',
    'podejrzan*',
    'incident',
    'vorfall',
    'incidente',
    'access key',
    'api key',
    'token',
    'credentials',
    'zugangsdaten',
    'password*',
    'passwort*',
    'mot de passe',
    'contraseña',
    'admin',
    'root',
    'crontab',
    'rce',
    'cve-',
    'customer data',
    'kundendaten',
    'données personnelles',
    'base clients',
    'phishing',
    'ddos',
    'exfiltrat*',
    'outbound',
    'beacon*',
    'lateral movement',
    'command and control',
    'c2',
    'ioc*',
    'forensic*',
    'incident response',
    // "outbound" in the six other languages (one word, so a phrase never counts twice)
    'ausgehend*',
    'sortant*',
    'saliente*',
    'in uscita',
    'uitgaand*',
    'wychodząc*',
    'calling out',
    'calls out',
    'datos personales',
    'dati personali',
    // assets and states an incident report names, in the seven languages
    'fileserver*',
    'file server*',
    'file share*',
    'dateiserver*',
    'build server*',
    'buildserver*',
    'secret key',
    'secret access key',
    'private key',
    'ssh key*',
    'clé d’accès',
    "clé d'accès",
    'clave de acceso',
    'chiave di accesso',
    'toegangssleutel',
    'klucz dostępu',
    'klucza dostępu',
    'aws',
    'gcp',
    'azure',
    'github',
    'gitlab',
    'encrypted',
    'chiffré*',
    'cifrad*',
    'crittografat*',
    'versleuteld',
    'zaszyfrowan*',
    'riscatto',
    'losgeld',
    'okup',
    'rescate',
    'rançon',
    'lösegeld',
    ...INCIDENT_MORE,
  ]),
];
/** Words that must accompany a security-incident hit (the incident list mixes cause and asset). */
const INCIDENT_EVENT = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:leak(?:ed)?|exposed|compromised|breach\w*|ransom\w*|\.locked|malware|crypto ?miner|miner|backdoor|intru\w+|unauthori[sz]ed|suspicious|unknown (?:hosts?|process\w*|ip)|logged in from|geleakt|kompromittiert|erpress\w*|öffentlich (?:einsehbar|zugänglich)|unbekannte\w*|verdächtig\w*|fuite|compromis|piraté|rançongiciel|exposée?s?|filtrad\w+|comprometid\w+|hackead\w+|violazione|compromess\w+|gelekt|gehackt|datalek|wyciek\w*|włamani\w+|cve-\d+|phishing|ddos|exfiltrat\w*|outbound connections?|calling out|calls out|beacon\w*|ausgehende verbindungen|connexions sortantes|conexiones salientes|connessioni in uscita|uitgaande verbindingen|połączenia wychodzące|public (?:github |gitlab )?repo\w*|öffentliche\w* repo\w*|dépôt public|repositorio público|repository pubblico|publieke repo\w*|publiczn\w+ repozytori\w+|filtr[oó]|riscatto|losgeld|okup|rescate|rançon|lösegeld|${INCIDENT_EVENT_MORE})`,
  'u',
);
const INCIDENT_EVENTS = new RegExp(INCIDENT_EVENT.source, 'gu');
/** Cues that a text is about code or ops rather than a person (medical words are rare there). */
const TECH_CONTEXT =
  /```|\b(?:replica|postgres|kubernetes|deployment|runbook|endpoint|server|nginx|docker|api|sql|ssl|cloudflare|redirect)\b/u;

/** Letter-aware edges (\b is ASCII-only: "audit de sécurité" and "uprawnień" end in a letter it does not see). */
const SECURITY_REVIEW =
  /(?<![\p{L}\p{N}])(?:security (?:review|audit|assessment)|pen ?test|threat model\w*|sicherheits(?:prüfung|review|analyse|audit)|revue de sécurité|audit de sécurité|revisión de seguridad|auditoría de seguridad|revisione (?:di )?sicurezza|beveiligingsreview|przegląd bezpieczeństwa|audyt bezpieczeństwa|is (?:this|it) (?:code )?(?:secure|safe to deploy)|find (?:the )?vulnerabilit\w+|privilege escalation|escalat\w* (?:\w+ )?privileges?|attack (?:surface|paths?|vectors?)|(?:can|could) an attacker|exploitab\w+|rechteausweitung|privilegien ?eskalation|angriffsfläche|élévation de privilèges|surface d'attaque|escalada de privilegios|superficie de ataque|escalation (?:dei|di) privilegi|superficie di attacco|privilege escalatie|aanvalsoppervlak|eskalacj\w* uprawnień|powierzchni\w* ataku)(?![\p{L}\p{N}])/u;

const FORMAL_PROOF =
  /\b(?:hoare|loop invariants?|schleifeninvariante\w*|invariant de boucle|invariante de bucle|invariante di ciclo|tla\+|coq|isabelle|lean ?4|dafny|why3|frama-c|model checking|formal(?:ly)? verif\w+|formale verifikation|vérification formelle|verificación formal|verifica formale|linearizab\w+|linearisierbar\w*|np-(?:hard|complete|schwer|vollständig|difficile|complet|difícil|completo|trudny)|total(?:e)? correctness|totale korrektheit|partial correctness|safety (?:and liveness|propert\w+)|liveness propert\w+|raft|paxos|mutual exclusion|deadlock[- ]freedom|wechselseitiger ausschluss|exclusion mutuelle|exclusión mutua|mutua esclusione)\b/u;
const PROOF_REQUEST =
  /\b(?:prove|proof|rigorous(?:ly)?|beweise\w*|beweis|zeige,? dass|démontre[rz]?|démonstration|preuve|demuestra|demostración|demostrar|dimostra\w*|bewijs\w*|udowodnij|dowód|dowodu)\b/u;
/** "proof" in everyday senses (proofread, proof of address/purchase) is not a proof request. */
const NOT_PROOF = /\bproof ?read\w*|\bproof of (?:address|purchase|concept|identity|payment|delivery)\b/u;

const ARCHITECTURE =
  /\b(?:architecture|architektur|arquitectura|architettura|architectuur|architektur[aęy]|migrat(?:e|ing) (?:\w+ ){0,6}(?:to|from|off|onto)|migration (?:strategy|plan|path|from|to|of)|migrationsstrategie|migrationsplan|migriere\w*|migrieren|migrer|migrar|migra |migrare|migreren|migrować|migracj\w+|re-?platform\w*|monolith\w*|microservices?|micro-services?|event sourcing|cqrs|multi-?tenan\w+|sharding|zero[- ]downtime|literature review|systematic review|meta-analys\w+|state of the art|stand der forschung|forschungsstand|état de l'art|estado del arte|stato dell'arte|synthesi[sz]e (?:the )?(?:research|studies|literature|evidence|findings))\b/u;

/** Concurrency bugs by name (seven languages). */
const RACE =
  /(?<![\p{L}\p{N}])(?:race conditions?|data races?|lost updates?|deadlocks?|thread[- ]safe\p{L}*|not thread safe|nebenläufigkeit\p{L}*|wettlaufsituation\p{L}*|verklemmung\p{L}*|condition de (?:course|concurrence)|interblocage\p{L}*|accès concurrents?|condici(?:ón|ones) de carrera|bloqueo mutuo|interbloqueo|condizion[ei] di (?:gara|corsa)|stallo|raceconditie\p{L}*|wyścig\p{L}* (?:danych|wątków)|zakleszczeni\p{L}*|współbieżnoś\p{L}*)(?![\p{L}\p{N}])/u;
/** Parallel work and a failure that comes and goes: together, a concurrency bug. */
const PARALLEL =
  /(?<![\p{L}\p{N}])(?:parallel\p{L}*|concurrent\p{L}*|simultaneous\p{L}*|at the same time|gleichzeitig\p{L}*|nebenläufig\p{L}*|en parallèle|simultané\p{L}*|en paralelo|simultáne\p{L}*|concurrente\p{L}*|in parallelo|simultane\p{L}*|concorrent\p{L}*|tegelijk\p{L}*|gelijktijdig\p{L}*|parallell?\p{L}*|równoległ\p{L}*|jednocze\p{L}*|współbieżn\p{L}*|multi-?threaded|goroutines?)(?![\p{L}\p{N}])/u;
const INTERMITTENT =
  /(?<![\p{L}\p{N}])(?:intermittent\p{L}*|sporadic\p{L}*|flaky|flakes?|sometimes|randomly|now and then|every \d+(?:st|nd|rd|th)? (?:time|run)|sporadisch\p{L}*|manchmal|gelegentlich|zufällig|ab und zu|sporadique\p{L}*|parfois|de temps en temps|aléatoire\p{L}*|esporádic\p{L}*|a veces|de vez en cuando|aleatori\p{L}*|sporadic\p{L}*|a volte|ogni tanto|casual\p{L}*|af en toe|soms|willekeurig\p{L}*|sporadycz\p{L}*|czasami|czasem|losowo)(?![\p{L}\p{N}])/u;

const REAL_WORK =
  /\b(?:(?:write|create|build|generate)\s+(?:me\s+)?(?:a|an|the)\s+(?:\w+[ -]){0,3}(?:script|function|class|query|program|cron ?job|regex|migration|test suite|unit tests?)|code review|review (?:this|my|the) (?:code|pr|pull request|diff|change|patch|function|class|query)|explain (?:plan|analyze)|query plan|window functions?|diplomati\w+|tactful\w*|delicate|schreib\w* (?:mir )?(?:ein(?:e|en)?\s+)?(?:\w+[ -]){0,2}(?:skript|script|funktion|abfrage|query)|écri[st]\w* (?:un|une) (?:script|fonction|requête)|escrib\w* (?:un|una) (?:script|función|consulta)|scrivi (?:un|una) (?:script|funzione|query)|schrijf (?:een) (?:script|functie|query)|napisz (?:skrypt|funkcj\w+|zapytanie))\b/u;

/**
 * A review of code the user pastes or points to (seven languages; read on the hyphen- and
 * camel-case-spaced head, so "Code-Review" and "codeReview" count): real work, however short the
 * message and whatever the tier model or a cap says. A micro/minimal model does not review code
 * reliably (issue 16, ninth round: the tier model capped a German code review to minimal).
 */
const CODE_NOUN = String.raw`(?:code|codes|kod|kodu|codice|código|pr|pull request|merge request|mr|diff|patch|commit|functions?|funktion|functie|funkcj\p{L}*|función|funzione|fonction|method|methode|méthode|método|metodo|class|klasse|classe|clase|klasy|script|skript|skrypt|skryptu|snippet)`;
const CODE_REVIEW = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:code ?review\p{L}*|review\p{L}* (?:(?:this|my|our|the|these|diesen|dieses|diese|den|das|meinen|meine|mein|unseren|unsere|unser|deze|dit|mijn|onze|de|het|tego|tej|ten|ta|mój|moją|nasz|ce|cette|mon|ma|notre|este|esta|mi|nuestro|questo|questa|il mio|il nostro|il|la) )?(?:[\p{L}+#.]+ )?${CODE_NOUN}|${CODE_NOUN} (?:[\p{L}.]+ ){0,2}(?:reviewen|reviewe?n?|durchsehen|durchschauen|gegenlesen)|revue de code|relecture de code|reli[st] (?:ce|mon|notre|cette) ${CODE_NOUN}|revisi[oó]n de(?:l)? código|revis[ae] (?:este|mi|nuestro|el|esta) ${CODE_NOUN}|revisione del codice|rivedi (?:questo|questa|il mio|il nostro|il|la) ${CODE_NOUN}|przegląd\p{L}* kodu|przejrzyj (?:ten|tę|mój|moją|nasz|naszą) ${CODE_NOUN}|recenzj\p{L}* kodu)(?![\p{L}\p{N}])`,
  'u',
);

/** Only a number, a name or one word is wanted (seven languages). */
const TERSE_ANSWER =
  /(?<![\p{L}\p{N}])(?:(?:just|only) (?:the|a|one) (?:[\p{L}-]+ ){0,2}(?:numbers?|names?|dates?|versions?|answer|words?|values?|years?|amounts?|results?|ids?),? (?:please,? )?(?:nothing else|no (?:explanation|details|comments?)|without (?:an )?(?:explanation|comment))|(?:answer|reply|respond) (?:with|in) (?:one|a single) word|nur (?:die|den|das|eine?n?) (?:[\p{L}-]+ ){0,2}\p{L}+,? (?:sonst nichts|nichts weiter|ohne erklärung)|antworte nur mit (?:der|dem|einem|einer|ja oder nein)|juste (?:le|la|les|l['’]) ?(?:[\p{L}-]+ ){0,2}\p{L}+,? (?:rien d['’]autre|sans explication)|réponds uniquement par|solo (?:el|la|los|las|un|una) (?:[\p{L}-]+ ){0,2}\p{L}+,? (?:nada más|sin explicaci\p{L}+)|responde solo con|solo (?:il|la|i|le|l['’]) ?(?:[\p{L}-]+ ){0,2}\p{L}+,? (?:nient['’]altro|senza spiegazion\p{L}*)|rispondi solo con|alleen (?:het|de|een) (?:[\p{L}-]+ ){0,2}\p{L}+,? (?:verder niets|niets anders|zonder uitleg)|antwoord alleen met|tylko (?:[\p{L}-]+[ ,]+){1,2}(?:nic więcej|bez wyjaśnie\p{L}*)|odpowiedz tylko)(?![\p{L}\p{N}])/iu;

/** The asker wants a simple or short explanation (seven languages). */
const SIMPLE_EXPLANATION =
  /(?<![\p{L}\p{N}])(?:explain\w* (?:it |this |that )?(?:simply|in simple terms|in plain (?:english|language|words)|like i'?m (?:five|5|a beginner|new)|to a (?:child|beginner|non-?technical|layman|manager))|eli5|short answer|in (?:plain|everyday|simple) (?:english|language|words)|(?:in )?(?:simple|plain|layman'?s) terms|i'?m not (?:a |an )?(?:developer|programmer|engineer|technical)|erklär\w* (?:mir )?(?:es |das )?(?:einfach|in einfachen worten|für laien|für anfänger)|kurze antwort|in einfachen worten|in (?:einfacher|leichter) sprache|für laien|ich bin kein\w* (?:entwickler|programmierer)|explique[zr]?(?:-moi)? (?:simplement|en termes simples|comme à un enfant)|en termes simples|en langage (?:clair|simple|courant)|réponse courte|pas (?:développeu\p{L}+|informaticien\p{L}*)|explíca(?:me|lo)? (?:de forma |de manera )?(?:sencill[ao]|simple|fácil)|en pocas palabras|en lenguaje (?:sencillo|llano|claro)|respuesta corta|no soy (?:programador|desarrollador)|spiega(?:mi)? (?:in modo )?(?:semplice|semplicemente|in parole semplici)|in parole semplici|in parole povere|in linguaggio semplice|risposta breve|non sono (?:un )?(?:programmatore|sviluppatore)|leg (?:me |het |dit )?(?:eenvoudig|simpel) uit|in (?:eenvoudige|simpele) woorden|in (?:gewone|begrijpelijke|eenvoudige|simpele) taal|kort antwoord|ik ben geen (?:programmeur|ontwikkelaar)|wyjaśnij (?:mi )?(?:prosto|prostymi słowami)|prostymi słowami|po ludzku|w prostych słowach|krótka odpowiedź|nie jestem (?:programistą|developerem))(?![\p{L}\p{N}])/iu;

/** Ends with a question mark, or with one followed only by "short answer" (in seven languages). */
function isQuestionEnd(text: string): boolean {
  const mark = text.lastIndexOf('?');
  if (mark < 0) return false;
  const tail = text.slice(mark + 1);
  return tail.trim() === '' || (tail.length <= 40 && SIMPLE_EXPLANATION.test(tail));
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter((word) => word.length > 0);
}

function isGreeting(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > GREETING_MAX_CHARS) return false;
  if (isPlainThanks(trimmed)) return true;
  if (!GREETING_CORE.test(trimmed)) return false;
  const list = words(trimmed);
  const unknown = list.filter((word) => !GREETING_WORDS.has(word)).length;
  return unknown <= 1 && unknown * 4 < list.length;
}

/** A message that opens with thanks (seven languages). */
const THANKS_OPENING =
  /^\W{0,3}(?:(?:ok(?:ay)?|great|perfect|super|parfait|perfecto|perfetto|genial|top|cool|prima|świetnie)\W{1,3})?(?:thanks|thank you|thx|many thanks|danke|vielen dank|merci|gracias|muchas gracias|mil gracias|grazie|bedankt|dank je|dankjewel|dziękuję|dzięki)(?![\p{L}\p{N}])/iu;
/** What turns thanks into a new request: a question, a number or code, "but", "now", "also"... */
const THANKS_THEN_TASK =
  /[?:`{}=<>\d]|(?<![\p{L}\p{N}])(?:but|now|also|next|then|can|could|please|aber|jetzt|noch|auch|kannst|bitte|mais|maintenant|aussi|peux|pourrais|pero|ahora|también|puedes|podrías|però|ora|anche|puoi|potresti|maar|nu|ook|kun|ale|teraz|też|możesz)(?![\p{L}\p{N}])/iu;
const THANKS_MAX_CHARS = 60;

/**
 * Thanks with a few words of praise in any of the seven languages ("¡Muchas gracias, me has salvado
 * el día!", "Grazie mille, sei stato utilissimo!"): the word list cannot hold every compliment, so
 * a short message opening with thanks counts unless something in it asks for more.
 */
function isPlainThanks(text: string): boolean {
  return text.length <= THANKS_MAX_CHARS && THANKS_OPENING.test(text) && !THANKS_THEN_TASK.test(text);
}

/** Distinct incident events in a text (counting stops at `enough`). */
function incidentEvents(lower: string, enough: number): number {
  const found = new Set<string>();
  for (const match of lower.matchAll(INCIDENT_EVENTS)) {
    found.add(match[0]);
    if (found.size >= enough) break;
  }
  return found.size;
}

/**
 * Whether a request is a personal critical situation or a live incident. `lower`: the lowercased
 * message (the full-text patterns have no `i` flag: case folding is slow). `earlier`: the
 * lowercased previous user turn of a conversation, or ''. A follow-up ("Ohio. Do I need a lawyer
 * first?") keeps the situation its earlier turn described when it names the same domain itself
 * (one hit of the same list), so an unrelated new question after a critical one stays unaffected.
 * A security incident needs an incident event besides its words; two distinct events (traffic
 * nobody recognises to an unknown host) stand for one of the words.
 */
function criticalHits(lower: string, earlier = ''): boolean {
  const list = lower.match(WORD) ?? [];
  const tech = TECH_CONTEXT.test(lower);
  let earlierList: string[] | undefined;
  for (const [index, vocabulary] of CRITICAL_VOCABULARIES.entries()) {
    const isIncident = index === CRITICAL_VOCABULARIES.length - 1;
    // Code and ops texts use some of these words otherwise ("tax" columns, "court" tables): ask more.
    const needed = isIncident ? 2 : tech ? 3 : 2;
    const found = vocabulary.collect(list, lower, needed);
    if (found.size === 0) continue;
    let text = lower;
    if (found.size < needed && earlier) {
      // the same entry in both turns counts once
      vocabulary.collect((earlierList ??= earlier.match(WORD) ?? []), earlier, needed, found);
      text = `${lower}\n${earlier}`;
    }
    if (isIncident) {
      if (found.size >= 2 ? INCIDENT_EVENT.test(text) : incidentEvents(text, 2) >= 2) return true;
      continue;
    }
    if (found.size >= needed) return true;
  }
  return false;
}

/** A message this long with a short paragraph first or last is a pasted document and its instruction. */
const PASTE_MIN_CHARS = 600;
const PASTE_INSTRUCTION_MAX_CHARS = 300;
/**
 * An easy transformation of a pasted text, anywhere in its instruction paragraph (seven languages):
 * a table, list, FAQ, checklist, bullet points, CSV, a translation, a proofreading, a summary.
 */
const PASTE_TRANSFORM =
  /(?<![\p{L}\p{N}])(?:tables?|tabelle|tableau|tabla|tabella|tabel(?:a|ę|i|len)?|tabelk\p{L}*|lists?|listen?|liste|lista|listę|lijstje|lijst|elenco|bullets?|bullet points|puces|viñetas|punti|punkt(?:en|ach|ów|y)?|faq|checklist\p{L}*|ściągawk\p{L}*|csv|json|poster|aushang|affiche|cartel|cartello|translat\p{L}*|übersetz\p{L}*|tradu\p{L}*|vertal\p{L}*|przetłumacz\p{L}*|proofread\p{L}*|korrektur\p{L}*|rechtschreibung|tippfehler|typos|spelling|summar\p{L}*|zusammen(?:fassung|fassen)?|résum\p{L}*|resum\p{L}*|riassun\p{L}*|samenvat\p{L}*|streszcz\p{L}*|podsumowa\p{L}*|extract\p{L}*|extrah\p{L}*|extrae|extrais|estrai|rausziehen|wypisz|haal|sácame|pull out)(?![\p{L}\p{N}])/iu;
/** What asks for judgement on the matter rather than a transformation (seven languages). */
const PASTE_JUDGEMENT =
  /(?<![\p{L}\p{N}])(?:should|must|can i|may i|am i|do i|do we|are we|is (?:this|it|that) (?:legal|valid|enforceable|allowed|safe|ok|okay|fine|binding)|enforceable|binding|risks?|risky|advi[cs]e|recommend\p{L}*|mean for|means for|liable|liability for us|entitled|breach\p{L}*|dos(?:e|es|age|ing)|interpret\p{L}*|analy[sz]\p{L}*|assess\p{L}*|evaluat\p{L}*|whether|worr\p{L}*|danger\p{L}*|diagnos\p{L}*|soll\p{L}*|muss|müssen|darf|dürfen|kann ich|können wir|risiko\p{L}*|bewert\p{L}*|prüf\p{L}*|rat|raten|empfehl\p{L}*|bedeutet|wirksam|zulässig|rechtens|dois|devons|devrais|devrions|puis-je|pouvons-nous|risques?|conseil\p{L}*|recommand\p{L}*|valable|légal\p{L}*|analys\p{L}*|vérifi\p{L}*|signifie|debo|debemos|debería\p{L}*|puedo|podemos|riesgos?|consej\p{L}*|recomiend\p{L}*|válid\p{L}*|legal|analiz\p{L}*|revis\p{L}*|significa|devo|dobbiamo|dovrei|dovremmo|posso|possiamo|rischi\p{L}*|consigli\p{L}*|valid\p{L}*|legale|analizz\p{L}*|verific\p{L}*|moet\p{L}*|zou ik|zouden we|mag ik|mogen we|kan ik|kunnen we|risico\p{L}*|advies|adviseer|geldig|rechtsgeldig|analyseer|controleer|betekent|powin\p{L}*|muszę|musimy|mogę|możemy|ryzyk\p{L}*|porad\p{L}*|ważn\p{L}*|sprawdź|oznacza)(?![\p{L}\p{N}])/iu;

/** A first-person question about one's own situation, without a question mark (seven languages). */
const PERSONAL_QUESTION =
  /(?<![\p{L}\p{N}])(?:should (?:i|we)|can (?:i|we)|do (?:i|we)|am i|are we|tell me (?:if|whether)|soll(?:te)? (?:ich|wir)|muss (?:ich|wir)|darf (?:ich|wir)|dois-je|devons-nous|puis-je|debo|debemos|puedo|devo|dobbiamo|posso|moet ik|moeten we|mag ik|czy (?:mogę|muszę|powinienem|powinnam|możemy|musimy))(?![\p{L}\p{N}])/iu;
/**
 * The instruction of a pasted document that only asks for an easy transformation of it (a table
 * of the deadlines, a FAQ, a translation), or null. The instruction is the first or the last
 * paragraph when it is short; a question it asks that is not the transformation itself, or a word
 * of judgement (should I, is it enforceable, risk, dose...), keeps the whole message in play.
 */
function easyPasteInstruction(text: string): string | null {
  if (text.length < PASTE_MIN_CHARS) return null;
  const paragraphs = text.split(/\n\s*\n/);
  if (paragraphs.length < 2) return null;
  const candidates = [paragraphs[0] as string, paragraphs[paragraphs.length - 1] as string]
    .map((part) => part.trim())
    .filter((part) => part.length > 0 && part.length <= PASTE_INSTRUCTION_MAX_CHARS);
  const isInstruction = (part: string): boolean => PASTE_TRANSFORM.test(part) || EASY_EDIT.test(part);
  const instructions = candidates.filter(isInstruction);
  if (instructions.length === 0) return null;
  for (const part of candidates) {
    if (!isInstruction(part)) {
      // the other short paragraph: a heading or a closing line of the document, or the user's question
      if (part.includes('?') || PERSONAL_QUESTION.test(part)) return null;
      continue;
    }
    if (PASTE_JUDGEMENT.test(part) || NOT_EASY.test(part)) return null;
    for (const sentence of part.split(/(?<=[.!?;])\s+/))
      if (sentence.includes('?') && !isInstruction(sentence)) return null;
  }
  return instructions.join('\n');
}

/** A proof or an architecture task hidden behind a style word ("more formal: prove that …"). */
function isHardAsk(text: string): boolean {
  const lower = text.toLowerCase();
  return FORMAL_PROOF.test(lower) || PROOF_REQUEST.test(lower) || ARCHITECTURE.test(lower);
}

/** Lowercased, with a hyphen between letters and a lower-to-upper case change read as a space. */
function spacedPhrases(text: string): string {
  return text
    .replace(/(?<=\p{Ll})(?=\p{Lu})/gu, ' ')
    .toLowerCase()
    .replace(/(?<=\p{L})-(?=\p{L})/gu, ' ');
}

/** The cues of a request, from its latest user message and (for title tasks) the system prompt. */
export function detectTaskCues(
  lastUser: string,
  system: string,
  /** A follow-up or a text in a gated domain is never a plain short question. */
  plain = true,
  /** The user turn before a follow-up (its critical situation carries over), or ''. */
  previousUser = '',
): TaskCue[] {
  const cues: TaskCue[] = [];
  const head = lastUser.length > HEAD_CHARS ? lastUser.slice(0, HEAD_CHARS) : lastUser;
  if (isGreeting(lastUser)) return ['greeting'];
  if (CHAT_TITLE.test(head) || CHAT_TITLE.test(system.slice(0, HEAD_CHARS))) return ['chat_title'];
  const instruction = head.slice(0, 160).split('\n', 1)[0] as string;
  const easy =
    (EASY_EDIT.test(head) && !NOT_EASY.test(instruction)) ||
    (lastUser.length <= STYLE_TWEAK_MAX_CHARS &&
      (STYLE_TWEAK.test(lastUser) || SHORTEN.test(lastUser)) &&
      !isHardAsk(lastUser));
  const lower = lastUser.toLowerCase();
  const earlier = previousUser.toLowerCase();
  // A follow-up keeps the critical situation of the turn before it ("OK, done. Can we close the
  // topic now?") unless it says it changes the subject.
  // A pasted contract or pharmacy notice with "make a table of the dates": the critical-domain
  // words of the pasted body do not make the instruction critical; its own words still can.
  const pasteInstruction = easyPasteInstruction(lastUser);
  const critical =
    criticalHits(pasteInstruction === null ? lower : pasteInstruction.toLowerCase(), earlier) ||
    (earlier !== '' && !TOPIC_SWITCH.test(head.slice(0, 120)) && criticalHits(earlier));
  if (critical) cues.push('critical_domain');
  if (easy) {
    cues.push('easy_edit');
    return cues;
  }
  // "Security-Review", "threat-model", "MutualExclusion": hyphenated and camel-cased spellings of
  // the phrases the patterns below spell with a space.
  const spaced = spacedPhrases(lastUser);
  if (SECURITY_REVIEW.test(spaced)) cues.push('security_review');
  if (FORMAL_PROOF.test(spaced)) cues.push('formal_proof');
  else if (PROOF_REQUEST.test(lower) && !NOT_PROOF.test(lower)) cues.push('proof_request');
  if (ARCHITECTURE.test(spaced)) cues.push('architecture');
  // A race named in a short question ("what is a race condition?") asks for a definition. The
  // asker describes the bug in their own words first: pasted logs after 2 000 characters are not read.
  const prose = spaced.length > CONCURRENCY_CHARS ? spaced.slice(0, CONCURRENCY_CHARS) : spaced;
  if (
    (RACE.test(prose) && words(lastUser).length > SHORT_QUESTION_MAX_WORDS) ||
    (PARALLEL.test(prose) && INTERMITTENT.test(prose))
  )
    cues.push('concurrency');
  // A message of some length to an assistant deployed with a page of rules (a support bot's
  // policy, an agent's instructions) asks it to apply them: not a micro/minimal task.
  if (
    REAL_WORK.test(head.toLowerCase()) ||
    CODE_REVIEW.test(spaced.slice(0, HEAD_CHARS)) ||
    (system.length >= DEPLOYED_SYSTEM_CHARS && words(lastUser).length >= DEPLOYED_REQUEST_WORDS)
  )
    cues.push('real_work');
  if (cues.length === 0 && plain) {
    const count = words(lastUser).length;
    if (
      count > 0 &&
      count <= SHORT_QUESTION_MAX_WORDS &&
      !CODE_HINT.test(lastUser) &&
      isQuestionEnd(lastUser)
    )
      cues.push('short_question');
  }
  if (SIMPLE_EXPLANATION.test(head)) cues.push('simple_explanation');
  if (TERSE_ANSWER.test(head)) cues.push('terse_answer');
  return cues;
}

/** A system prompt that deploys the assistant in security operations (seven languages). */
const SECURITY_OPERATIONS =
  /(?<![\p{L}\p{N}])(?:soc|siem|edr|xdr|incident[- ]respon\p{L}*|security[- ]operations|threat hunt\p{L}*|dfir|sicherheitsvorf\p{L}*|réponse (?:aux|à (?:un|des)) incidents?|respuesta (?:a|ante) incidentes|risposta (?:agli|a) incident\p{L}*|incidentrespons\p{L}*|reagowani\p{L}* na incydent\p{L}*)(?![\p{L}\p{N}])/iu;

/**
 * A security-operations assistant (SOC, SIEM, incident response) reading the result of its own
 * tool call: live telemetry under investigation, a critical situation even when the analyst's
 * question reads like a routine check (issue 16, fifth round).
 */
export function withTelemetryTriage(
  cues: readonly TaskCue[],
  system: string,
  toolResult: boolean,
): TaskCue[] {
  if (!toolResult || cues.includes('critical_domain') || cues.includes('easy_edit')) return [...cues];
  if (!SECURITY_OPERATIONS.test(system.slice(0, HEAD_CHARS))) return [...cues];
  return ['critical_domain', ...cues];
}

/** A short question only gets capped when the classifier is this unsure. */
const SHORT_QUESTION_MAX_CONFIDENCE = 0.4;
/**
 * The tiers above high need their cue when the category classifier alone picked them: a
 * critical-tier category below confidence 0.6 (0.5 before the multilingual category examples) needs a critical-domain cue, an ultra-tier one always
 * needs a formal-verification cue. Labellers put proofs and invariants anywhere from advanced to
 * ultra, and high is inside the band of all of them (5-fold cross-validation on the blind dev
 * halves: 93.1 → 93.6 % tier-band, cost 16.1 → 15.5 %; docs/routing.md).
 */
const UNCONFIRMED_TOP_TIERS: Partial<Record<Tier, { cue: TaskCue; minConfidence: number }>> = {
  critical: { cue: 'critical_domain', minConfidence: 0.6 },
  ultra: { cue: 'formal_proof', minConfidence: Infinity },
};

/**
 * Applies the cues to a combined decision: a cue's category (when the catalogue has it), then
 * caps, then floors. An explicit easy instruction (translate, fix the typos, make a table) is the
 * one cap that wins: translating a contract or a doctor's letter needs no legal or medical reasoning.
 */
export function applyTaskCues(
  combined: Combined,
  cues: readonly TaskCue[],
  categories: ReadonlyMap<string, RoutingCategory>,
): Combined {
  let { category, tier, confidence } = combined;
  const overrides: OverrideRecord[] = [...combined.overrides];
  for (const cue of cues) {
    const effect = CUE_EFFECTS[cue];
    const decided = effect.category ? categories.get(effect.category) : undefined;
    if (decided) {
      category = decided.key;
      tier = decided.tier;
    }
    if (effect.confidence !== undefined) confidence = Math.max(confidence, effect.confidence);
  }
  const easyEdit = cues.includes('easy_edit');
  const confirmation = UNCONFIRMED_TOP_TIERS[tier];
  if (
    confirmation &&
    confidence < confirmation.minConfidence &&
    combined.source === 'local_classifier' &&
    !cues.includes(confirmation.cue)
  ) {
    // A classifier guess alone does not justify the most expensive tiers; high is inside the band
    // of a truly critical or ultra request (and of an advanced one) and stays safe.
    overrides.push({ code: 'task_cue_cap', from: tier, to: 'high', detail: `unconfirmed ${tier}` });
    tier = 'high';
  }
  for (const cue of cues) {
    const floor = CUE_EFFECTS[cue].floor;
    if (!easyEdit || !floor || compareTiers(tier, floor) >= 0) continue;
    overrides.push({ code: 'task_cue_floor', from: tier, to: maxTier(tier, floor), detail: cue });
    tier = floor;
  }
  for (const cue of cues) {
    const cap = CUE_EFFECTS[cue].cap;
    if (!cap || compareTiers(tier, cap) <= 0) continue;
    if (cue === 'short_question' && confidence > SHORT_QUESTION_MAX_CONFIDENCE) continue;
    overrides.push({ code: 'task_cue_cap', from: tier, to: minTier(tier, cap), detail: cue });
    tier = cap;
  }
  for (const cue of easyEdit ? [] : cues) {
    const floor = CUE_EFFECTS[cue].floor;
    if (!floor || compareTiers(tier, floor) >= 0) continue;
    overrides.push({ code: 'task_cue_floor', from: tier, to: maxTier(tier, floor), detail: cue });
    tier = floor;
  }
  return { ...combined, category, tier, confidence, overrides };
}
