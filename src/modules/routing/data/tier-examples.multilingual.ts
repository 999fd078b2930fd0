import type { Tier } from '../../../common/tiers';

/**
 * More tier-labelled requests for the tier model (issue 16), written from the tier table of
 * DESIGN.md §4 only (never from an evaluation prompt): every tier in Italian, Dutch, Polish, Spanish
 * and French, where the category examples are thinnest, plus English and German for the failure
 * kinds the issue lists (critical domains phrased casually, live security incidents, formal
 * verification, architecture, real work sent too low, thanks, easy instructions on pasted text).
 * Each label is the cheapest tier that would reliably do the task well.
 */

/** A few paragraphs of ordinary business prose, repeated to the length of a pasted document. */
function pasted(instruction: string, paragraphs: readonly string[], repeat = 4): string {
  const body = Array.from({ length: repeat }, (_, round) =>
    paragraphs.map((paragraph, index) => `${round * paragraphs.length + index + 1}. ${paragraph}`).join('\n'),
  ).join('\n');
  return `${instruction}\n\n${body}`;
}

const REPORT_IT = [
  'Nel terzo trimestre le vendite online sono cresciute del 12 % rispetto allo stesso periodo dell’anno scorso, trainate soprattutto dalla linea casa.',
  'Il magazzino di Verona ha avuto ritardi nelle spedizioni a causa della sostituzione del sistema di etichettatura, ora risolti.',
  'Il team assistenza ha chiuso 4.300 ticket, con un tempo medio di prima risposta di 3 ore e 20 minuti.',
  'Per il quarto trimestre si prevede di aprire due nuovi punti di ritiro a Bologna e a Padova.',
];
const REPORT_NL = [
  'In het derde kwartaal steeg de online omzet met 9 procent, vooral dankzij de nieuwe tuinlijn.',
  'Het distributiecentrum in Tilburg had twee weken vertraging door een storing in het scansysteem.',
  'De klantenservice beantwoordde 2.800 vragen, gemiddeld binnen vier uur.',
  'Voor het vierde kwartaal staan twee nieuwe afhaalpunten in Utrecht en Breda gepland.',
];
const REPORT_PL = [
  'W trzecim kwartale sprzedaż internetowa wzrosła o 11 procent, głównie dzięki kategorii dom i ogród.',
  'Magazyn w Poznaniu miał opóźnienia w wysyłkach z powodu wymiany systemu etykietowania.',
  'Dział obsługi klienta zamknął 3 900 zgłoszeń, średni czas pierwszej odpowiedzi wyniósł trzy godziny.',
  'Na czwarty kwartał planujemy otwarcie dwóch nowych punktów odbioru w Krakowie i we Wrocławiu.',
];
const REPORT_ES = [
  'En el tercer trimestre las ventas en línea crecieron un 10 % frente al año anterior, sobre todo en la categoría de hogar.',
  'El almacén de Zaragoza sufrió retrasos en los envíos por el cambio del sistema de etiquetado, ya resuelto.',
  'El equipo de atención cerró 3.100 incidencias con un tiempo medio de primera respuesta de tres horas.',
  'Para el cuarto trimestre se abrirán dos puntos de recogida nuevos en Valencia y en Sevilla.',
];
const REPORT_FR = [
  'Au troisième trimestre, les ventes en ligne ont progressé de 8 % sur un an, portées par la gamme maison.',
  'L’entrepôt de Lille a connu des retards d’expédition liés au remplacement du système d’étiquetage, désormais corrigé.',
  'Le service client a traité 3 600 demandes avec un délai moyen de première réponse de trois heures.',
  'Au quatrième trimestre, deux nouveaux points de retrait ouvriront à Nantes et à Rennes.',
];
const REPORT_EN = [
  'Online revenue grew 14 % year over year in the third quarter, led by the home and garden range.',
  'The Leeds warehouse had two weeks of shipping delays while the labelling system was replaced; this is fixed.',
  'Support closed 5,200 tickets with a median first response time of two hours and forty minutes.',
  'Two new pick-up points in Bristol and Cardiff are planned for the fourth quarter.',
];
const REPORT_DE = [
  'Im dritten Quartal stieg der Onlineumsatz um 13 Prozent gegenüber dem Vorjahr, getragen vom Sortiment Haus und Garten.',
  'Das Lager in Kassel hatte wegen der Umstellung des Etikettiersystems zwei Wochen Lieferverzug, inzwischen behoben.',
  'Der Kundenservice hat 4.100 Tickets geschlossen, die mittlere Erstreaktionszeit lag bei drei Stunden.',
  'Für das vierte Quartal sind zwei neue Abholstationen in Leipzig und Dresden geplant.',
];

export const MULTILINGUAL_TIER_EXAMPLES: readonly (readonly [Tier, string])[] = [
  // ---------------------------------------------------------------------------------------------
  // Italian
  ['micro', 'Ciao! Tutto bene?'],
  ['micro', 'Grazie infinite, mi hai risolto la giornata'],
  ['micro', 'Dai un titolo di massimo cinque parole a questa conversazione'],
  ['minimal', 'Traduci in inglese: «Il pacco arriverà entro giovedì.»'],
  ['minimal', 'Qual è il fiume più lungo d’Italia?'],
  ['minimal', 'Scrivi un messaggio breve per avvisare i colleghi che domani l’ufficio apre alle 10.'],
  ['minimal', pasted('Correggi solo gli errori di battitura, senza cambiare il testo:', REPORT_IT)],
  ['minimal', pasted('Estrai tutte le città citate in questo rapporto:', REPORT_IT)],
  ['low', 'Scrivi una funzione JavaScript che raggruppa un array di ordini per cliente.'],
  ['low', 'Scrivi una query SQL che conta gli utenti registrati per ogni mese del 2025.'],
  ['low', pasted('Riassumi questo rapporto in dieci punti per la direzione:', REPORT_IT, 6)],
  ['medium', 'Il mio container Docker si riavvia in continuazione con exit code 137. Come capisco la causa?'],
  ['medium', 'Scrivi i test unitari con pytest per questa classe che calcola gli sconti sui carrelli.'],
  [
    'medium',
    'Prepara un piano di lancio di quattro settimane per la nuova app, con attività, responsabili e rischi.',
  ],
  [
    'advanced',
    'Progetta l’architettura di un sistema di prenotazioni multi-tenant per 300 palestre: dati, API, code, scalabilità.',
  ],
  ['advanced', 'Confronta fiscalmente SRL e ditta individuale per un consulente con 90.000 € di fatturato.'],
  [
    'high',
    'Stanotte qualcuno ha usato le credenziali di un amministratore e ha scaricato il database clienti. Cosa facciamo adesso?',
  ],
  ['ultra', 'Dimostra formalmente che questo algoritmo di mutua esclusione è privo di deadlock.'],
  ['critical', 'Mia madre prende il warfarin e il dentista vuole darle un antibiotico. È pericoloso?'],
  ['critical', 'Il mio datore di lavoro mi ha licenziato mentre ero in malattia. Cosa posso fare?'],
  // ---------------------------------------------------------------------------------------------
  // Dutch
  ['micro', 'Hoi! Goedemorgen'],
  ['micro', 'Dank je wel, echt top geholpen!'],
  ['micro', 'Bedenk een korte titel voor dit gesprek'],
  ['minimal', 'Vertaal naar het Engels: "We sturen de factuur morgen op."'],
  ['minimal', 'Hoeveel provincies heeft Nederland?'],
  ['minimal', 'Zet deze lijst om naar JSON: appels 4, peren 2, bananen 6'],
  ['minimal', pasted('Haal alle datums uit dit verslag en zet ze in een lijst:', REPORT_NL)],
  ['low', 'Schrijf een Python-script dat alle CSV-bestanden in een map samenvoegt tot één bestand.'],
  ['low', 'Leg uit wat deze reguliere expressie doet: ^[\\w.+-]+@[\\w-]+\\.[a-z]{2,}$'],
  ['low', pasted('Maak een samenvatting van dit kwartaalverslag in acht punten:', REPORT_NL, 6)],
  [
    'medium',
    'Onze Kubernetes-pods krijgen steeds OOMKilled na de laatste release. Help me de oorzaak te vinden.',
  ],
  ['medium', 'Review deze pull request op leesbaarheid, fouten en ontbrekende tests.'],
  [
    'medium',
    'Maak een analyse van onze churn per abonnementstype op basis van deze cijfers en geef drie verklaringen.',
  ],
  [
    'advanced',
    'We willen van een monoliet naar microservices met event sourcing. Welke architectuur en migratiestrategie raad je aan?',
  ],
  [
    'advanced',
    'Wat zijn de juridische risico’s van deze aansprakelijkheidsclausule in onze SaaS-overeenkomst?',
  ],
  [
    'high',
    'Er staat ransomware op onze fileservers en alle bestanden eindigen op .locked. Wat moeten we nu doen?',
  ],
  ['ultra', 'Bewijs met een lusinvariant dat dit binaire zoekalgoritme correct is en altijd termineert.'],
  ['critical', 'Mijn vader heeft nierfalen en krijgt metformine voorgeschreven. Welke dosis is veilig?'],
  ['critical', 'De verhuurder heeft de sloten vervangen terwijl ik nog huur betaal. Wat zijn mijn rechten?'],
  // ---------------------------------------------------------------------------------------------
  // Polish
  ['micro', 'Cześć, co słychać?'],
  ['micro', 'Dziękuję bardzo, wszystko jasne!'],
  ['micro', 'Wymyśl krótki tytuł dla tej rozmowy'],
  ['minimal', 'Przetłumacz na angielski: „Spotkanie przenosimy na piątek.”'],
  ['minimal', 'Jaka jest stolica Kanady?'],
  ['minimal', 'Napisz krótką wiadomość do klienta, że paczka wyjdzie jutro.'],
  ['minimal', pasted('Popraw tylko literówki w tym tekście:', REPORT_PL)],
  ['low', 'Napisz funkcję w TypeScript, która sprawdza, czy numer PESEL ma poprawną sumę kontrolną.'],
  ['low', 'Napisz zapytanie SQL, które zwraca pięciu klientów z największą liczbą zamówień.'],
  ['low', pasted('Streść ten raport w dziesięciu punktach:', REPORT_PL, 6)],
  ['medium', 'Mój endpoint w Spring Boot zwraca 500 tylko na produkcji. Oto log, pomóż znaleźć przyczynę.'],
  [
    'medium',
    'Skonfiguruj pipeline GitLab CI, który buduje obraz Dockera, uruchamia testy i wdraża na staging.',
  ],
  ['medium', 'Przygotuj plan migracji naszej dokumentacji do nowego wiki na sześć tygodni.'],
  [
    'advanced',
    'Zaprojektuj architekturę systemu płatności, który obsłuży 2 000 transakcji na sekundę bez utraty danych.',
  ],
  ['advanced', 'Przeanalizuj ryzyka finansowe przejęcia firmy na podstawie tych danych z bilansu.'],
  ['high', 'Klucz dostępu do AWS wyciekł do publicznego repozytorium godzinę temu. Co robimy krok po kroku?'],
  ['ultra', 'Udowodnij, że problem pokrycia wierzchołkowego jest NP-trudny, przez redukcję z 3-SAT.'],
  ['critical', 'Mam cukrzycę typu 1 i od rana wymiotuję, cukier 320 mg/dl. Co mam zrobić z insuliną?'],
  [
    'critical',
    'Pracodawca wręczył mi wypowiedzenie w trakcie zwolnienia lekarskiego. Czy to zgodne z prawem?',
  ],
  // ---------------------------------------------------------------------------------------------
  // Spanish
  ['micro', '¡Hola! ¿Qué tal?'],
  ['micro', 'Mil gracias, me has ahorrado horas de trabajo'],
  ['micro', 'Genera tres etiquetas que resuman de qué trata este chat'],
  ['minimal', 'Traduce al inglés: «El pedido se envía el lunes.»'],
  ['minimal', '¿En qué año llegó el hombre a la Luna?'],
  ['minimal', pasted('Convierte estos datos en una tabla con columnas tema y resumen:', REPORT_ES)],
  ['minimal', pasted('Corrige las faltas de ortografía sin cambiar nada más:', REPORT_ES)],
  ['low', 'Escribe un script en Bash que borre los archivos de log de más de 30 días.'],
  ['low', 'Explícame qué hace este fragmento de código: const unique = [...new Set(items)];'],
  ['low', pasted('Haz un resumen de este informe en diez puntos para el comité:', REPORT_ES, 6)],
  ['medium', 'Mi aplicación React se vuelve lenta al escribir en un formulario grande. ¿Cómo lo depuro?'],
  ['medium', 'Integra la API de Stripe en nuestro backend de Node para cobros recurrentes con webhooks.'],
  ['medium', 'Analiza estas ventas por región y dime qué tendencias ves y qué harías.'],
  [
    'advanced',
    'Diseña la arquitectura para migrar nuestro ERP local a la nube sin parar la facturación, con fases y riesgos.',
  ],
  ['advanced', 'Compara tres estrategias de inversión para una pyme con 500.000 € de tesorería excedente.'],
  [
    'high',
    'Nuestro servidor de compilación está enviando datos a direcciones IP desconocidas de madrugada. ¿Qué hacemos ahora?',
  ],
  ['high', 'Haz una auditoría de seguridad de este flujo de inicio de sesión con JWT y refresco de tokens.'],
  [
    'ultra',
    'Demuestra con lógica de Hoare la corrección parcial de este bucle que calcula la suma de un array.',
  ],
  ['critical', 'Mi hijo de 4 años tiene 39,5 de fiebre y vomita. ¿Cuánto ibuprofeno le puedo dar?'],
  [
    'critical',
    'Me han detenido por conducir con una tasa de alcohol alta. ¿Qué consecuencias legales tengo?',
  ],
  // ---------------------------------------------------------------------------------------------
  // French
  ['micro', 'Salut ! Ça va ?'],
  ['micro', 'Merci mille fois, c’est parfait'],
  ['micro', 'Propose un titre court pour cette discussion'],
  ['minimal', 'Traduis en espagnol : « Le rendez-vous est confirmé pour mardi. »'],
  ['minimal', 'Combien de jours y a-t-il en février 2028 ?'],
  ['minimal', pasted('Extrais tous les chiffres de ce compte rendu dans une liste :', REPORT_FR)],
  ['minimal', pasted('Traduis ce rapport en anglais :', REPORT_FR)],
  ['low', 'Écris une fonction Go qui lit un fichier JSON et renvoie la liste des utilisateurs actifs.'],
  ['low', 'Calcule la moyenne et la médiane de ces notes : 12, 15, 9, 17, 11, 14.'],
  ['low', pasted('Fais une synthèse de ce rapport en dix points :', REPORT_FR, 6)],
  [
    'medium',
    'Mon job Airflow échoue une nuit sur deux avec un timeout sur Postgres. Aide-moi à trouver pourquoi.',
  ],
  ['medium', 'Rédige un plan de tests de bout en bout pour notre tunnel de commande.'],
  ['medium', 'Réponds à partir de ce contrat : quelles sont les conditions de résiliation anticipée ?'],
  [
    'advanced',
    'Comment concevoir un système de recommandation temps réel pour 5 millions d’utilisateurs ? Compare deux architectures.',
  ],
  ['advanced', 'Analyse les risques juridiques de cette clause de confidentialité pour un prestataire.'],
  [
    'high',
    'Nos identifiants de base de données sont apparus sur un forum. Comment réagir dans l’heure qui vient ?',
  ],
  ['ultra', 'Démontre en TLA+ que ce protocole de consensus garantit la sûreté même si un nœud tombe.'],
  [
    'critical',
    'Je prends la pilule et mon médecin m’a prescrit de la rifampicine. Suis-je encore protégée ?',
  ],
  ['critical', 'J’ai oublié de déclarer des revenus perçus à l’étranger pendant trois ans. Que risque-je ?'],
  // ---------------------------------------------------------------------------------------------
  // German
  ['micro', 'Super, vielen Dank, hat alles geklappt!'],
  ['micro', 'Erstelle drei Schlagwörter für diesen Chatverlauf'],
  ['minimal', pasted('Übersetze diesen Bericht ins Englische:', REPORT_DE)],
  ['minimal', pasted('Mach aus diesem Text eine Tabelle mit Thema und Kennzahl:', REPORT_DE)],
  ['minimal', 'Schreib eine kurze, freundliche Absage für das Meeting am Donnerstag.'],
  ['low', 'Schreib ein PowerShell-Skript, das jede Nacht den Ordner D:\\Daten auf das NAS sichert.'],
  ['low', 'Schreib eine SQL-Abfrage mit einer Fensterfunktion für den laufenden Umsatz pro Kunde.'],
  ['low', 'Formuliere eine diplomatische E-Mail an einen Kunden, dessen Zahlung seit zwei Monaten aussteht.'],
  ['medium', 'Hier ist der EXPLAIN-Plan unserer langsamen Abfrage. Welcher Index fehlt und warum?'],
  ['medium', 'Bitte reviewe diesen Python-Code auf Fehler, Randfälle und Lesbarkeit.'],
  [
    'advanced',
    'Wie migrieren wir unsere Oracle-Datenbank mit 6 TB ohne Ausfallzeit nach PostgreSQL? Schritte, Risiken, Rückfallplan.',
  ],
  [
    'high',
    'Auf unserem Buildserver läuft seit gestern ein unbekannter Prozess, der Verbindungen nach außen aufbaut.',
  ],
  [
    'ultra',
    'Zeige, dass diese Sperrimplementierung wechselseitigen Ausschluss garantiert, mit einer formalen Invariante.',
  ],
  ['critical', 'Kann ich Johanniskraut zusammen mit meinem Antidepressivum nehmen?'],
  [
    'critical',
    'Mir wurde während der Krankschreibung gekündigt. Welche Fristen gelten für die Kündigungsschutzklage?',
  ],
  // ---------------------------------------------------------------------------------------------
  // English
  ['micro', 'Cheers, that did it!'],
  ['micro', 'Suggest a 4-word title for this chat. Reply with the title only.'],
  ['minimal', pasted('Fix the typos only, keep everything else:', REPORT_EN)],
  ['minimal', pasted('Extract every number in this update into a bullet list:', REPORT_EN)],
  ['minimal', 'Who wrote Pride and Prejudice?'],
  ['low', 'Write a bash script that backs up /var/www to S3 every night and keeps 14 days.'],
  [
    'low',
    'Write a polite but firm email declining the vendor’s price increase while keeping the relationship.',
  ],
  ['low', pasted('Summarise this quarterly update in ten bullet points for the board:', REPORT_EN, 6)],
  [
    'medium',
    'Our nightly ETL job started failing with duplicate key errors after the schema change. Debug it with me.',
  ],
  ['medium', 'Write integration tests for this REST endpoint covering auth, validation and pagination.'],
  [
    'advanced',
    'Should we split our Rails monolith into services? Propose a target architecture and a migration path with zero downtime.',
  ],
  [
    'advanced',
    'Model the cash-flow impact of moving from annual to monthly billing for our SaaS over 24 months.',
  ],
  ['high', 'Someone pushed our production AWS secret key to a public GitHub repo 20 minutes ago. What now?'],
  [
    'high',
    'Threat-model our file upload service: storage, virus scanning, signed URLs and tenant isolation.',
  ],
  ['ultra', 'Write the Dafny loop invariants so the verifier accepts this in-place array reversal.'],
  ['ultra', 'Prove that Raft never commits two different entries at the same log index.'],
  ['critical', 'My 80-year-old dad is on apixaban and just fell and hit his head. Does he need the ER?'],
  ['critical', 'I got a DUI last night and have a court date next week. What should I do before it?'],
];
