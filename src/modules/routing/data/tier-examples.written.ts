import type { Tier } from '../../../common/tiers';

/**
 * Tier-labelled requests written for the tier model (issue 16), in the languages the category
 * examples cover least: French, Spanish, Chinese, Japanese, plus German, Italian, Dutch, Polish and
 * English. Written from the tier table of DESIGN.md §4 only, never from an evaluation prompt. Each
 * label is the cheapest tier that would reliably do the task well.
 */
export const WRITTEN_TIER_EXAMPLES: readonly (readonly [Tier, string])[] = [
  // ---------------------------------------------------------------------------------------------
  // French
  ['micro', 'Bonjour !'],
  ['micro', 'Merci beaucoup, bonne soirée'],
  ['micro', 'Donne un titre de 4 mots à cette conversation'],
  ['minimal', 'Traduis en anglais : « Nous vous remercions de votre patience. »'],
  ['minimal', 'Corrige les fautes : je vous est envoyer le dossier hier soir'],
  ['minimal', 'Quelle est la capitale du Canada ?'],
  ['minimal', 'Convertis cette liste en JSON : pommes 3, poires 5, kiwis 2'],
  ['low', 'Écris une fonction Python qui supprime les doublons d’une liste en gardant l’ordre.'],
  ['low', 'Écris une requête SQL qui donne le chiffre d’affaires par mois pour 2025.'],
  ['low', 'Résume ce compte rendu de réunion en 5 points pour l’équipe.'],
  [
    'medium',
    'Mon test Jest échoue avec « Cannot read properties of undefined (reading map) », voici le composant. Trouve la cause.',
  ],
  [
    'medium',
    'Rédige un plan de projet sur 6 semaines pour migrer notre wiki vers Confluence, avec jalons et risques.',
  ],
  [
    'medium',
    'Écris un pipeline GitHub Actions qui teste, construit l’image Docker et la pousse sur le registre.',
  ],
  [
    'advanced',
    'Nous voulons découper notre monolithe Django en services. Propose une architecture cible et une stratégie de migration sans interruption.',
  ],
  [
    'advanced',
    'Analyse les risques juridiques de cette clause de non-concurrence dans un contrat de travail français.',
  ],
  [
    'advanced',
    'Compare trois stratégies de sharding pour une base PostgreSQL de 4 To avec des requêtes multi-locataires.',
  ],
  [
    'high',
    'Notre serveur a été compromis : des processus inconnus envoient des données vers une IP externe. Que faisons-nous maintenant, étape par étape ?',
  ],
  ['high', 'Fais un audit de sécurité de ce flux OAuth : jetons, redirections, stockage des secrets.'],
  ['ultra', 'Démontre que l’algorithme de Peterson garantit l’exclusion mutuelle, avec une preuve formelle.'],
  [
    'critical',
    'Mon père de 82 ans prend de la warfarine et son médecin veut ajouter de l’amiodarone. Quels risques et quel suivi ?',
  ],
  [
    'critical',
    'Je suis licencié pendant mon arrêt maladie, est-ce légal et quels délais ai-je pour contester ?',
  ],
  // ---------------------------------------------------------------------------------------------
  // Spanish
  ['micro', '¡Hola! ¿Qué tal?'],
  ['micro', 'Genera un título corto para este chat'],
  ['minimal', 'Traduce al alemán: «El envío llegará el martes».'],
  ['minimal', 'Corrige la ortografía: ayer fuimos haber la pelicula'],
  ['minimal', 'Extrae las fechas de este texto: la reunión es el 3 de marzo y la entrega el 15 de abril.'],
  ['minimal', '¿Cuántos habitantes tiene Madrid aproximadamente?'],
  [
    'low',
    'Escribe un script de bash que haga copia de seguridad de /var/www cada noche y borre las de más de 7 días.',
  ],
  ['low', 'Explícame qué hace este código JavaScript línea por línea.'],
  ['low', 'Escribe un correo educado a un cliente para aplazar la reunión del jueves.'],
  ['medium', 'Revisa este pull request: busca errores, problemas de rendimiento y falta de tests.'],
  ['medium', 'Analiza este CSV de ventas y dime qué productos crecen y cuáles caen, con una tabla.'],
  ['medium', 'Escribe tests unitarios con pytest para esta clase de carrito de compra.'],
  [
    'advanced',
    'Diseña la arquitectura de una plataforma de pagos multi-tenant con colas, idempotencia y auditoría.',
  ],
  [
    'advanced',
    'Haz un análisis financiero de esta empresa: márgenes, flujo de caja y riesgos de deuda para los próximos tres años.',
  ],
  [
    'advanced',
    'Sintetiza la literatura reciente sobre el teletrabajo y la productividad, con argumentos a favor y en contra.',
  ],
  ['high', 'Alguien subió nuestra clave de AWS a un repositorio público hace dos horas. ¿Qué hacemos ya?'],
  [
    'high',
    'Como agente, implementa la autenticación por roles en todo el backend: modelos, middleware, tests y migraciones.',
  ],
  [
    'ultra',
    'Demuestra que el problema de la mochila 0/1 es NP-difícil mediante una reducción desde subset sum.',
  ],
  [
    'critical',
    'Soy diabético tipo 2 y tomo metformina; mi médico me receta contraste yodado para un TAC. ¿Debo suspenderla?',
  ],
  [
    'critical',
    'Hacienda me reclama el IRPF de tres años por ingresos en el extranjero que no declaré. ¿Qué opciones tengo?',
  ],
  // ---------------------------------------------------------------------------------------------
  // Chinese
  ['micro', '你好！'],
  ['micro', '谢谢你的帮助！'],
  ['micro', '给这段对话起一个简短的标题'],
  ['minimal', '把这句话翻译成英文：我们下周一开会。'],
  ['minimal', '改正这段话里的错别字：我门明天去公园完。'],
  ['minimal', '中国的首都是哪里？'],
  ['minimal', '把下面的数据转换成 JSON 格式：姓名 张三，年龄 28，城市 上海'],
  ['low', '用 Python 写一个函数，计算列表中所有偶数的和。'],
  ['low', '写一个 SQL 查询，统计每个部门的员工人数。'],
  ['low', '帮我总结这篇文章的要点，不超过 200 字。'],
  ['low', '解释一下这段 Java 代码是做什么的。'],
  ['medium', '我的 Node.js 服务内存一直在增长，这是堆快照的摘要，帮我找出内存泄漏的原因。'],
  ['medium', '帮我写一个 Dockerfile 和 Kubernetes 部署文件，部署这个 Go 服务。'],
  ['medium', '为这个订单模块写单元测试和集成测试。'],
  ['medium', '根据这份需求文档回答：退款需要在几天内处理？'],
  ['advanced', '我们要把单体应用拆分成微服务，请设计整体架构、服务边界和数据迁移方案。'],
  ['advanced', '分析这份劳动合同中的竞业限制条款是否合法，有哪些法律风险。'],
  ['advanced', '比较三种分布式事务方案（两阶段提交、Saga、TCC）在我们订单系统中的取舍。'],
  ['high', '我们的文件服务器被勒索软件加密了，所有文件后缀都变成了 .locked，现在应该怎么办？'],
  ['high', '请对这个登录接口做一次安全审计，检查 SQL 注入、会话固定和暴力破解。'],
  ['ultra', '用霍尔逻辑证明这个循环程序的正确性，并给出循环不变式。'],
  ['ultra', '证明 Raft 算法在网络分区下不会选出两个领导者。'],
  ['critical', '我妈妈 75 岁，肾功能不全，医生开了二甲双胍，剂量应该怎么调整？'],
  ['critical', '公司在我病假期间解雇了我，我应该如何维权，有哪些法律时效？'],
  // ---------------------------------------------------------------------------------------------
  // Japanese
  ['micro', 'こんにちは！'],
  ['micro', 'ありがとうございました！'],
  ['micro', 'この会話に短いタイトルを付けてください'],
  ['minimal', '次の文を英語に翻訳してください：明日の会議は午後三時からです。'],
  ['minimal', 'この文の誤字を直してください：きのう友達と映画をみにいきまた。'],
  ['minimal', '日本の首都はどこですか？'],
  ['minimal', 'この表を Markdown に変換してください：商品 りんご 価格 120円'],
  ['low', 'Python でファイル内の単語数を数える関数を書いてください。'],
  ['low', '月ごとの売上を集計する SQL クエリを書いてください。'],
  ['low', 'この記事を三行で要約してください。'],
  ['low', '取引先に納期の延長をお願いする丁寧なメールを書いてください。'],
  ['medium', 'この React コンポーネントが無限に再レンダリングされる原因を調べて直してください。'],
  ['medium', 'GitLab CI でテストとデプロイを行うパイプラインを作ってください。'],
  ['medium', 'このログを分析して、エラーが急増した原因を推定してください。'],
  [
    'advanced',
    'モノリスからマイクロサービスへの移行計画を、サービス境界とデータ移行を含めて設計してください。',
  ],
  ['advanced', 'このサービス利用規約の免責条項が消費者契約法に照らして有効か分析してください。'],
  ['advanced', '三つのキャッシュ戦略を比較し、読み込みが多いEコマースサイトに最適なものを提案してください。'],
  [
    'high',
    '本番サーバーから不明な外部ホストへの通信が見つかりました。侵害の可能性があります。今すぐ何をすべきですか？',
  ],
  [
    'high',
    'この決済 API のセキュリティレビューをしてください。認証、入力検証、秘密情報の扱いを確認してください。',
  ],
  ['ultra', 'クラスカル法が最小全域木を返すことを厳密に証明してください。'],
  [
    'critical',
    '80歳の父がワルファリンを服用中ですが、抗生物質を処方されました。相互作用と注意点を教えてください。',
  ],
  ['critical', '海外の所得を申告していなかったことが税務署に指摘されました。どう対応すべきですか？'],
  // ---------------------------------------------------------------------------------------------
  // German
  ['micro', 'Danke dir, schönen Abend noch!'],
  ['micro', 'Gib diesem Chat einen kurzen Titel.'],
  ['minimal', 'Übersetze ins Englische: „Die Lieferung verzögert sich um zwei Tage.“'],
  ['minimal', 'Wie heißt die Hauptstadt von Österreich?'],
  ['low', 'Schreib eine Bash-Funktion, die alle .log-Dateien älter als 30 Tage löscht.'],
  ['low', 'Formuliere diese Absage an einen Bewerber freundlicher.'],
  [
    'medium',
    'Unser Kubernetes-Pod startet ständig neu (CrashLoopBackOff). Hier sind die Events und Logs, was ist die Ursache?',
  ],
  ['medium', 'Erstelle einen Testplan für die neue Checkout-Seite mit Randfällen.'],
  [
    'advanced',
    'Entwirf eine Event-Sourcing-Architektur für unser Bestellsystem und bewerte die Alternativen.',
  ],
  ['advanced', 'Prüfe die Haftungsklausel dieses SaaS-Vertrags auf Risiken für uns als Anbieter.'],
  [
    'high',
    'Auf unserem Buildserver läuft ein unbekannter Prozess, der Daten an eine fremde IP sendet. Was jetzt?',
  ],
  ['ultra', 'Beweise mit einer Schleifeninvariante, dass die binäre Suche korrekt terminiert.'],
  [
    'critical',
    'Meine Mutter (79) nimmt Marcumar und soll jetzt Ibuprofen gegen Rückenschmerzen nehmen. Ist das gefährlich?',
  ],
  [
    'critical',
    'Mir wurde die Wohnung wegen Eigenbedarf gekündigt, obwohl ich seit 20 Jahren dort wohne. Welche Fristen gelten?',
  ],
  // ---------------------------------------------------------------------------------------------
  // Italian, Dutch, Polish
  ['micro', 'Ciao, grazie mille!'],
  ['minimal', 'Traduci in inglese: «La riunione è spostata a venerdì».'],
  ['low', 'Scrivi una query SQL che trovi i clienti senza ordini nel 2025.'],
  [
    'advanced',
    'Progetta l’architettura di un sistema di prenotazioni con alta disponibilità su due regioni.',
  ],
  ['critical', 'Mio figlio di 3 anni ha ingerito alcune pastiglie di paracetamolo. Cosa devo fare?'],
  ['micro', 'Bedankt, fijne dag!'],
  ['low', 'Schrijf een Python-script dat alle PDF’s in een map samenvoegt.'],
  [
    'high',
    'Er staan onbekende admin-accounts in onze Azure-tenant en MFA is uitgeschakeld. Wat moeten we doen?',
  ],
  ['micro', 'Dzięki, do zobaczenia!'],
  ['medium', 'Napisz testy jednostkowe dla tej klasy obsługującej płatności.'],
  ['critical', 'Mam cukrzycę typu 1 i od rana wymiotuję, cukier 350 mg/dl. Co robić?'],
  // ---------------------------------------------------------------------------------------------
  // English
  ['micro', 'thanks, that worked!'],
  ['minimal', 'What is the boiling point of water in Fahrenheit?'],
  ['low', 'Write a Python function that validates an IBAN.'],
  ['medium', 'Review this Terraform module for mistakes and missing best practices.'],
  [
    'advanced',
    'Plan the migration of our on-prem Oracle database to Aurora PostgreSQL with near-zero downtime.',
  ],
  ['high', 'We found a web shell in our uploads folder. Walk me through containment and forensics.'],
  ['ultra', 'Write the TLA+ specification of this two-phase commit protocol and state its safety invariant.'],
  ['critical', 'My 70-year-old mother on lisinopril has a potassium of 6.1. Should she stop the medication?'],
];
