import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../test-database';

/**
 * A throw-away OpenLDAP server for e2e tests (plain LDAP with StartTLS, and LDAPS). Needs the
 * Debian packages `slapd` and `ldap-utils` (and `openssl`, present in the base image)
 * (`apt-get install -y slapd ldap-utils`); the system slapd service is not used: this starts its
 * own process on a free port with a temporary slapd.conf and database, loaded from directory.ldif.
 */
export interface TestLdapServer {
  url: string;
  /** Same directory over TLS (certificate for 127.0.0.1 signed by `caPem`). */
  ldapsUrl: string;
  /** PEM of the test CA that signed the server certificate. */
  caPem: string;
  baseDn: string;
  /** Read-only service account for the user search. */
  bindDn: string;
  bindPassword: string;
  stop(): Promise<void>;
}

export const LDAP_BASE_DN = 'dc=prism,dc=test';
export const LDAP_USERS = {
  alice: { password: 'alice-password', groups: ['prism-admins'] },
  bob: { password: 'bob-password', groups: ['finance'] },
  carol: { password: 'carol-password', groups: ['team-a'] },
  dave: { password: 'dave-password', groups: [] as string[] },
  erin: { password: 'erin-password', groups: ['finance'] },
} as const;

const SLAPD_CANDIDATES = ['/usr/sbin/slapd', '/usr/local/libexec/slapd', '/usr/libexec/slapd'];
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';

export function slapdBinary(): string | undefined {
  return SLAPD_CANDIDATES.find((p) => existsSync(p));
}

export async function startSlapd(): Promise<TestLdapServer> {
  const binary = slapdBinary();
  if (!binary) throw new Error('slapd not found: apt-get install -y slapd ldap-utils');
  const slapadd = join(binary.replace(/slapd$/, ''), 'slapadd');
  const dir = mkdtempSync(join(tmpdir(), 'prism-slapd-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const conf = join(dir, 'slapd.conf');
  const hasModules = existsSync(join(MODULE_DIR, 'back_mdb.so'));
  createCertificates(dir);
  writeFileSync(
    conf,
    [
      `include ${SCHEMA_DIR}/core.schema`,
      `include ${SCHEMA_DIR}/cosine.schema`,
      `include ${SCHEMA_DIR}/inetorgperson.schema`,
      `include ${SCHEMA_DIR}/nis.schema`,
      `pidfile ${join(dir, 'slapd.pid')}`,
      `TLSCACertificateFile ${join(dir, 'ca.crt')}`,
      `TLSCertificateFile ${join(dir, 'server.crt')}`,
      `TLSCertificateKeyFile ${join(dir, 'server.key')}`,
      ...(hasModules ? [`modulepath ${MODULE_DIR}`, 'moduleload back_mdb'] : []),
      'database mdb',
      'maxsize 10485760',
      `suffix "${LDAP_BASE_DN}"`,
      `rootdn "cn=root,${LDAP_BASE_DN}"`,
      'rootpw root-secret',
      `directory ${dataDir}`,
      'access to attrs=userPassword by anonymous auth by self read by * none',
      'access to * by * read',
      '',
    ].join('\n'),
  );
  execFileSync(slapadd, ['-f', conf, '-l', join(__dirname, 'directory.ldif')], { stdio: 'pipe' });

  const port = await freePort();
  const tlsPort = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${tlsPort}`;
  // -d 0 keeps slapd in the foreground (so it dies with the test run) without debug output.
  const child = spawn(binary, ['-f', conf, '-h', `${url}/ ${ldapsUrl}/`, '-d', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Never leave a directory server behind, even when the test process exits abruptly.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForPort(port, child, () => stderr);
  await waitForPort(tlsPort, child, () => stderr);
  return {
    url,
    ldapsUrl,
    caPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    baseDn: LDAP_BASE_DN,
    bindDn: `cn=prism-reader,ou=services,${LDAP_BASE_DN}`,
    bindPassword: 'reader-secret',
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throw-away CA and a server certificate for 127.0.0.1 (openssl is part of the base image). */
function createCertificates(dir: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=Prism Test CA',
  );
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  );
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`slapd exited early: ${stderr()}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`slapd did not listen on ${port} within 15 s: ${stderr()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
