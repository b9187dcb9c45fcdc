/**
 * The keys that sign access tokens. SIGNING_KEY (PKCS#8 PEM or private JWK JSON; P-256 → ES256,
 * Ed25519 → EdDSA) wins; otherwise a P-256 key is generated once and kept in DATA_DIR so restarts
 * keep issued tokens valid. The JWKS publishes public halves only.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Logger } from '../log.js';
import type { Secret } from '../secret.js';

export type SigningAlgorithm = 'ES256' | 'EdDSA';

export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
}

export interface SigningKeys {
  /** The key new tokens are signed with. */
  current: SigningKey;
  /** Every key whose tokens we still accept, by kid. */
  byKid: ReadonlyMap<string, SigningKey>;
  jwks: { keys: JWK[] };
}

const KEY_FILE = 'signing-key.pem';

/**
 * `additional` keys are published and accepted but never sign: the next key (published before it
 * signs, so every cache has it in time) and the previous one (kept until its tokens expire).
 */
export async function loadSigningKeys(options: {
  signingKey: Secret | undefined;
  additional?: readonly Secret[];
  dataDir: string;
  log: Logger;
}): Promise<SigningKeys> {
  const privateKey = options.signingKey
    ? parsePrivateKey(options.signingKey.reveal())
    : await loadOrCreateKeyFile(options.dataDir, options.log);
  const current = await toSigningKey(privateKey);
  const others = await Promise.all((options.additional ?? []).map((secret) => toSigningKey(parsePrivateKey(secret.reveal()))));
  const all = [current, ...others.filter((key) => key.kid !== current.kid)];
  return { current, byKid: new Map(all.map((key) => [key.kid, key])), jwks: { keys: all.map((key) => key.publicJwk) } };
}

export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) return createPrivateKey({ key: JSON.parse(trimmed) as JWK & { d: string }, format: 'jwk' } as never);
    return createPrivateKey(trimmed.replace(/\\n/g, '\n'));
  } catch (error) {
    throw new Error('SIGNING_KEY is not a private key in PKCS#8 PEM or JWK JSON form', { cause: error });
  }
}

async function toSigningKey(privateKey: KeyObject): Promise<SigningKey> {
  const alg = algorithmOf(privateKey);
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, alg, privateKey, publicKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } };
}

function algorithmOf(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  throw new Error('SIGNING_KEY must be a P-256 (ES256) or Ed25519 (EdDSA) private key');
}

async function loadOrCreateKeyFile(dataDir: string, log: Logger): Promise<KeyObject> {
  const file = path.join(dataDir, KEY_FILE);
  try {
    return createPrivateKey(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the signing key in ${file}`, { cause: error });
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  try {
    // link() refuses to replace: when two processes start at once, both end up with the first key.
    await link(temporary, file);
    log.info({ file }, 'signing key generated');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  return createPrivateKey(await readFile(file, 'utf8'));
}
