/**
 * A disk cache of trained routing models (the local classifier and the tier model), so a process
 * that boots with categories it has trained before loads the models in milliseconds instead of
 * training them again (1–3 s of a core with the tier model's ~4 000 examples; CI boots the gateway
 * some seventy times). Used by the RoutingCatalog only; scripts and unit tests train as before.
 *
 * A model is stored under a SHA-256 key of everything its training reads: the training texts with
 * their labels and weights (computed by the registry), the training settings, and the code and
 * shipped data it is trained with — every file of this directory and of `../data` — so a changed
 * engine, example file or setting never loads an old model. Files are written to a temporary name
 * and renamed (concurrent processes never read half a file); only the newest `keep` are kept. Every
 * failure (no writable directory, a foreign or group-writable one, a damaged file) counts as a miss:
 * the models are then trained as before. The default directory is private to the user
 * (`<tmpdir>/model-prism-routing-<uid>`, mode 0700).
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

export type ModelKind = 'classifier' | 'tier';

/** Where trained models are kept between processes. */
export interface ModelStore {
  /** The key of a model trained from `content` (the registry's description of its training input). */
  key(kind: ModelKind, content: Iterable<string>): Promise<string>;
  /** The stored model state, or undefined (also on any error). */
  load(key: string): Promise<unknown>;
  save(key: string, state: unknown): Promise<void>;
}

const DEFAULT_KEEP = 8;
const SOURCE_FILE = /\.(ts|js|json)$/;

let codeFingerprint: Promise<string> | undefined;

/** SHA-256 of the engine's and the shipped data's files (compiled or TypeScript, whichever runs). */
function engineFingerprint(): Promise<string> {
  codeFingerprint ??= (async () => {
    const hash = createHash('sha256');
    for (const dir of [__dirname, join(__dirname, '..', 'data')]) {
      const names = (await readdir(dir)).filter((name) => SOURCE_FILE.test(name) && !name.includes('.spec.'));
      for (const name of names.sort()) {
        hash.update(`${name}\u0000`);
        hash.update(await readFile(join(dir, name)));
      }
    }
    return hash.digest('hex');
  })();
  return codeFingerprint;
}

/**
 * The value with every typed array copied into a buffer of its own. A deserialised typed array
 * (v8.deserialize, an 'advanced' IPC message) is a view into the whole message's buffer, so keeping
 * one array would keep every byte of the message alive.
 */
export function ownTypedArrays<T>(value: T): T {
  return copyViews(value, new Set()) as T;
}

function copyViews(value: unknown, seen: Set<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value)) {
    const view = value as unknown as { buffer: ArrayBufferLike; byteLength: number; slice(): unknown };
    return view.byteLength < view.buffer.byteLength && typeof view.slice === 'function'
      ? view.slice()
      : value;
  }
  if (seen.has(value)) return value;
  seen.add(value);
  // By tag, not instanceof: the value may come from another realm (a Jest test's context).
  if (Object.prototype.toString.call(value) === '[object Map]') {
    for (const [key, entry] of value as Map<unknown, unknown>) {
      if (typeof entry === 'object' && entry !== null)
        (value as Map<unknown, unknown>).set(key, copyViews(entry, seen));
    }
    return value;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const entry: unknown = value[index];
      if (typeof entry === 'object' && entry !== null) value[index] = copyViews(entry, seen);
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = copyViews(record[key], seen);
  return value;
}

function currentUid(): number {
  try {
    return userInfo().uid;
  } catch {
    return -1;
  }
}

export class DiskModelStore implements ModelStore {
  private ready: Promise<boolean> | undefined;

  constructor(
    private readonly dir = join(tmpdir(), `model-prism-routing-${currentUid()}`),
    private readonly keep = DEFAULT_KEEP,
  ) {}

  async key(kind: ModelKind, content: Iterable<string>): Promise<string> {
    const hash = createHash('sha256');
    hash.update(`${await engineFingerprint()}\u0000${kind}\u0000`);
    for (const part of content) hash.update(`${part}\u0001`);
    return hash.digest('hex');
  }

  async load(key: string): Promise<unknown> {
    try {
      if (!(await this.usable())) return undefined;
      const file = join(this.dir, `${key}.bin`);
      const state = ownTypedArrays(deserialize(await readFile(file)) as unknown);
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return state;
    } catch {
      return undefined;
    }
  }

  async save(key: string, state: unknown): Promise<void> {
    try {
      if (!(await this.usable())) return;
      const file = join(this.dir, `${key}.bin`);
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, serialize(state), { mode: 0o600 });
      await rename(temporary, file);
      await this.prune();
    } catch {
      // A cache: a failed write only means the next process trains.
    }
  }

  /** The directory exists, belongs to this user and nobody else can write to it. */
  private usable(): Promise<boolean> {
    this.ready ??= (async () => {
      try {
        await mkdir(this.dir, { recursive: true, mode: 0o700 });
        const info = await stat(this.dir);
        const uid = currentUid();
        if (!info.isDirectory() || (uid >= 0 && info.uid !== uid)) return false;
        if ((info.mode & 0o022) !== 0) await chmod(this.dir, 0o700);
        return true;
      } catch {
        return false;
      }
    })();
    return this.ready;
  }

  private async prune(): Promise<void> {
    const names = (await readdir(this.dir)).filter((name) => name.endsWith('.bin'));
    if (names.length <= this.keep) return;
    const dated = await Promise.all(
      names.map(async (name) => ({ name, mtime: (await stat(join(this.dir, name))).mtimeMs })),
    );
    dated.sort((a, b) => b.mtime - a.mtime);
    await Promise.all(
      dated.slice(this.keep).map(({ name }) => unlink(join(this.dir, name)).catch(() => undefined)),
    );
  }
}
