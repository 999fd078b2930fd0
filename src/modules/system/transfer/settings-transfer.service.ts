import { Injectable, Logger } from '@nestjs/common';
import mongoose from 'mongoose';

import { SecretBox } from '../../../common/crypto/secret-box';
import { ConfigChangeBus } from '../../config-sync/config-change.bus';
import { InvalidRuntimeSettings, RuntimeSettingsService } from '../settings/runtime-settings.service';
import { type KdfParameters, passphraseBox } from './passphrase-box';
import {
  type CollectionChecks,
  SettingsTransferRepository,
  type TransferDoc,
} from './settings-transfer.repository';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  IMPORT_SCOPES,
  TRANSFER_SECTION_NAMES,
  TRANSFER_SECTIONS,
  type TransferSection,
} from './settings-transfer.sections';

const { EJSON } = mongoose.mongo.BSON;
type Doc = TransferDoc;

/** Where a secret was: `{ "__secret": <encrypted under the passphrase> | null (left out) }`. */
const SECRET_KEY = '__secret';
const PASSPHRASE_CHECK = 'model-prism-export';
const IGNORED_IN_DIFF = new Set(['createdAt', 'updatedAt', '__v']);

export interface SettingsExport {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  secrets: 'encrypted' | 'omitted';
  kdf: KdfParameters | null;
  /** A known value encrypted under the passphrase: a wrong passphrase is caught before anything else. */
  passphraseCheck: string | null;
  sections: Partial<Record<TransferSection, unknown[]>>;
}

export interface ImportProblem {
  section: string;
  id: string | null;
  field: string | null;
  message: string;
}

export interface SectionDiff {
  added: string[];
  changed: { id: string; label: string; fields: string[] }[];
  unchanged: number;
}

export interface ImportResult {
  dryRun: boolean;
  applied: boolean;
  diff: Record<string, SectionDiff>;
}

export class InvalidImport extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(
      `The import was refused, nothing was changed: ${problems
        .slice(0, 5)
        .map((p) => `${p.section}${p.id ? `[${p.id}]` : ''}${p.field ? `.${p.field}` : ''} ${p.message}`)
        .join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`,
    );
    this.name = 'InvalidImport';
  }
}

interface PreparedDoc {
  doc: Doc;
  /** The entry as read from the document, secrets not restored yet (re-restored after an id change). */
  raw: Doc;
  existing: Doc | null;
  /** Existing documents with the same unique key (slug, ...) but another id (see `adoptIds`). */
  displaced: Doc[];
}

/**
 * Settings export/import: one JSON document (MongoDB extended JSON per entry, so ids and dates
 * survive) with providers, models, tenants (never their keys), categories, rule sets, LDAP
 * settings, the key policy and runtime settings. Secrets (every `enc:` value) are re-encrypted
 * under the admin's passphrase (scrypt + AES-256-GCM) or left out; never plaintext. An import is
 * validated completely first (format, passphrase, every entry against its Mongoose schema,
 * runtime settings, unique keys), so a bad entry changes nothing; then it upserts entry by entry
 * (single-document writes, no transactions) and publishes the config change to every pod.
 */
@Injectable()
export class SettingsTransferService {
  private readonly logger = new Logger(SettingsTransferService.name);

  constructor(
    private readonly store: SettingsTransferRepository,
    private readonly secrets: SecretBox,
    private readonly runtime: RuntimeSettingsService,
    private readonly bus: ConfigChangeBus,
  ) {}

  async export(passphrase?: string): Promise<SettingsExport> {
    const protector = passphrase ? passphraseBox(passphrase) : undefined;
    const sections: SettingsExport['sections'] = {};
    for (const name of TRANSFER_SECTION_NAMES) {
      const docs = await this.store.read(TRANSFER_SECTIONS[name]);
      sections[name] = docs.map((doc) =>
        EJSON.serialize(
          mapSecrets(doc, (stored) => {
            if (!protector) return { [SECRET_KEY]: null };
            try {
              return { [SECRET_KEY]: protector.box.encrypt(this.secrets.decrypt(stored)) };
            } catch {
              this.logger.warn(`A secret in ${name} cannot be decrypted with ENCRYPTION_KEY; left out`);
              return { [SECRET_KEY]: null };
            }
          }),
          { relaxed: true },
        ),
      );
    }
    return {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: new Date().toISOString(),
      secrets: protector ? 'encrypted' : 'omitted',
      kdf: protector?.kdf ?? null,
      passphraseCheck: protector ? protector.box.encrypt(PASSPHRASE_CHECK) : null,
      sections,
    };
  }

  /** Validates everything, then (unless dryRun) applies; throws InvalidImport having changed nothing. */
  async import(document: unknown, passphrase: string | undefined, dryRun: boolean): Promise<ImportResult> {
    const problems: ImportProblem[] = [];
    const prepared = await this.prepare(document, passphrase, problems);
    if (problems.length > 0) throw new InvalidImport(problems);
    const diff: Record<string, SectionDiff> = {};
    for (const [name, docs] of prepared) diff[name] = diffSection(docs);
    if (dryRun) return { dryRun: true, applied: false, diff };

    for (const [name, docs] of prepared) {
      const { collection } = TRANSFER_SECTIONS[name];
      for (const { doc, displaced } of docs) await this.store.replace(collection, doc, displaced);
    }
    await this.bus.publish(...IMPORT_SCOPES);
    return { dryRun: false, applied: true, diff };
  }

  private async prepare(
    document: unknown,
    passphrase: string | undefined,
    problems: ImportProblem[],
  ): Promise<Map<TransferSection, PreparedDoc[]>> {
    const prepared = new Map<TransferSection, PreparedDoc[]>();
    const fail = (section: string, message: string, id: string | null = null, field: string | null = null) =>
      void problems.push({ section, id, field, message });
    if (!isObject(document) || document.format !== EXPORT_FORMAT) {
      fail('document', `is not a ${EXPORT_FORMAT} export`);
      return prepared;
    }
    if (document.version !== EXPORT_VERSION) {
      fail('document', `version ${String(document.version)} is not supported (expected ${EXPORT_VERSION})`);
      return prepared;
    }
    let protector: SecretBox | undefined;
    if (document.secrets === 'encrypted') {
      if (!passphrase) {
        fail('document', 'holds encrypted secrets: give the passphrase used for the export');
        return prepared;
      }
      try {
        protector = passphraseBox(passphrase, document.kdf as KdfParameters).box;
        if (protector.decrypt(String(document.passphraseCheck)) !== PASSPHRASE_CHECK) throw new Error();
      } catch {
        fail('document', 'the passphrase is wrong');
        return prepared;
      }
    }
    if (!isObject(document.sections)) {
      fail('sections', 'must be an object');
      return prepared;
    }
    for (const name of Object.keys(document.sections)) {
      if (!(TRANSFER_SECTION_NAMES as string[]).includes(name)) fail(name, 'is not an exported section');
    }

    // Imported id → the target's id of the same entry (same unique key); references follow it.
    const adopted = new Map<string, unknown>();
    for (const name of TRANSFER_SECTION_NAMES) {
      const entries = document.sections[name];
      if (entries === undefined) continue;
      if (!Array.isArray(entries)) {
        fail(name, 'must be an array');
        continue;
      }
      const spec: { collection: string; id?: string } = TRANSFER_SECTIONS[name];
      const checks = this.store.checks(spec.collection);
      const docs: PreparedDoc[] = [];
      const seen = new Set<string>();
      for (const entry of entries) {
        let doc: Doc;
        try {
          doc = EJSON.deserialize(entry as Record<string, unknown>, { relaxed: true }) as Doc;
        } catch (error) {
          fail(name, `has an unreadable entry: ${(error as Error).message}`);
          continue;
        }
        const id = doc?._id === undefined || doc._id === null ? null : idString(doc._id);
        if (!isObject(doc) || id === null) {
          fail(name, 'has an entry without _id');
          continue;
        }
        if (spec.id && id !== spec.id) fail(name, `must have _id "${spec.id}"`, id);
        if (seen.has(id)) fail(name, 'appears twice', id);
        seen.add(id);
        const existing = await this.store.findById(spec.collection, doc._id);
        const restored = this.restoreSecrets(doc, existing, protector, (field, message) =>
          fail(name, message, id, field),
        );
        for (const problem of checks?.validate(restored) ?? [])
          fail(name, problem.message, id, problem.field);
        if (name === 'runtimeSettings') this.validateRuntime(restored, (m, f) => fail(name, m, id, f));
        docs.push({ doc: restored, raw: doc, existing, displaced: [] });
      }
      if (checks) {
        // References to entries of earlier sections whose id was adopted (a model's provider).
        for (const entry of docs) entry.doc = remapIds(entry.doc, adopted) as Doc;
        await this.findDisplaced(name, spec.collection, checks, docs, fail);
        this.adoptIds(docs, adopted, protector);
      }
      prepared.set(name, docs);
    }
    // References to entries of later sections (a tenant's rule set).
    for (const docs of prepared.values())
      for (const entry of docs) entry.doc = remapIds(entry.doc, adopted) as Doc;
    return prepared;
  }

  /**
   * An imported entry whose id is new here but whose unique key (slug, provider+model, ...) an
   * existing entry holds becomes that entry: it keeps the existing id, so what refers to it and
   * never travels (API keys, users' tenants, request logs) stays attached, and imported references
   * to the imported id are rewritten to it. Left-out secrets then keep that entry's values.
   */
  private adoptIds(
    docs: PreparedDoc[],
    adopted: Map<string, unknown>,
    protector: SecretBox | undefined,
  ): void {
    for (const entry of docs) {
      const [target, ...others] = entry.displaced;
      if (entry.existing || !target) continue;
      adopted.set(idString(entry.raw._id), target._id);
      const raw = remapIds({ ...entry.raw, _id: target._id }, adopted) as Doc;
      // Secret problems were reported on the first restore already.
      entry.doc = this.restoreSecrets(raw, target, protector, () => undefined);
      entry.existing = target;
      entry.displaced = others;
    }
  }

  private restoreSecrets(
    doc: Doc,
    existing: Doc | null,
    protector: SecretBox | undefined,
    fail: (field: string, message: string) => void,
  ): Doc {
    const walk = (value: unknown, current: unknown, path: string): unknown => {
      if (Array.isArray(value))
        return value.map((v, i) => walk(v, (current as unknown[] | undefined)?.[i], `${path}[${i}]`));
      if (!isObject(value) || isBsonValue(value)) return value;
      if (SECRET_KEY in value && Object.keys(value).length === 1) {
        const sealed = value[SECRET_KEY];
        if (sealed === null) return typeof current === 'string' ? current : undefined;
        if (typeof sealed !== 'string' || !protector) {
          fail(path, 'holds a secret that cannot be read');
          return undefined;
        }
        try {
          return this.secrets.encrypt(protector.decrypt(sealed));
        } catch {
          fail(path, 'holds a secret that does not decrypt with this passphrase');
          return undefined;
        }
      }
      const result: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        const restored = walk(
          child,
          isObject(current) ? current[key] : undefined,
          path ? `${path}.${key}` : key,
        );
        if (restored !== undefined) result[key] = restored;
      }
      return result;
    };
    return walk(doc, existing, '') as Doc;
  }

  private validateRuntime(doc: Doc, fail: (message: string, field: string | null) => void): void {
    if (doc.values !== undefined && !isObject(doc.values)) return fail('must be an object', 'values');
    try {
      this.runtime.validate(doc.values ?? {});
    } catch (error) {
      if (!(error instanceof InvalidRuntimeSettings)) throw error;
      for (const p of error.problems) fail(p.messages.join(', '), `values.${p.field}`);
    }
  }

  /** Entries whose unique key (slug, provider+model, ...) is taken by another id: that one is replaced. */
  private async findDisplaced(
    name: string,
    collection: string,
    checks: CollectionChecks,
    docs: PreparedDoc[],
    fail: (section: string, message: string, id: string | null) => void,
  ): Promise<void> {
    for (const fields of checks.uniqueKeys) {
      const keys = new Map<string, string>();
      for (const entry of docs) {
        const filter: Record<string, unknown> = {};
        for (const field of fields) filter[field] = getPath(entry.doc, field) ?? null;
        const key = EJSON.stringify(filter);
        const id = idString(entry.doc._id);
        const other = keys.get(key);
        if (other) fail(name, `has the same ${fields.join('+')} as ${other}`, id);
        keys.set(key, id);
        const taken = await this.store.findOthers(collection, filter, entry.doc._id);
        for (const doc of taken) {
          if (!entry.displaced.some((d) => idString(d._id) === idString(doc._id))) entry.displaced.push(doc);
        }
      }
    }
  }
}

/** Replaces every id (ObjectId or its string form) that `adopted` maps, anywhere in `value`. */
function remapIds(value: unknown, adopted: Map<string, unknown>): unknown {
  if (adopted.size === 0) return value;
  if (isObject(value) && value._bsontype === 'ObjectId') {
    const to = adopted.get((value as unknown as { toHexString(): string }).toHexString());
    return to === undefined ? value : to;
  }
  if (typeof value === 'string') {
    const to = adopted.get(value);
    return to === undefined ? value : idString(to);
  }
  if (Array.isArray(value)) return value.map((v) => remapIds(v, adopted));
  if (!isObject(value) || isBsonValue(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) result[key] = remapIds(child, adopted);
  return result;
}

function diffSection(docs: PreparedDoc[]): SectionDiff {
  const diff: SectionDiff = { added: [], changed: [], unchanged: 0 };
  for (const { doc, existing, displaced } of docs) {
    const label = labelOf(doc);
    if (!existing) {
      if (displaced.length > 0) diff.changed.push({ id: idString(doc._id), label, fields: ['_id'] });
      else diff.added.push(label);
      continue;
    }
    const keys = new Set(
      [...Object.keys(doc), ...Object.keys(existing)].filter((k) => !IGNORED_IN_DIFF.has(k)),
    );
    const fields = [...keys].filter(
      (k) => EJSON.stringify(doc[k] ?? null) !== EJSON.stringify(existing[k] ?? null),
    );
    if (fields.length > 0) diff.changed.push({ id: idString(doc._id), label, fields: fields.sort() });
    else diff.unchanged += 1;
  }
  return diff;
}

function mapSecrets(value: unknown, replace: (stored: string) => unknown): unknown {
  if (typeof value === 'string') return SecretBox.isEncrypted(value) ? replace(value) : value;
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, replace));
  if (!isObject(value) || isBsonValue(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) result[key] = mapSecrets(child, replace);
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ObjectId, Date, Decimal128, ...: leaves, not documents to walk. */
function isBsonValue(value: object): boolean {
  return value instanceof Date || '_bsontype' in value;
}

function idString(id: unknown): string {
  return typeof id === 'string' ? id : String(id);
}

function getPath(doc: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), doc);
}

function labelOf(doc: Doc): string {
  for (const key of ['slug', 'key', 'name', 'modelId']) if (typeof doc[key] === 'string') return doc[key];
  return idString(doc._id);
}
