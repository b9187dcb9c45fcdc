import { generateKeyPairSync } from 'node:crypto';
import pino from 'pino';
import { loadSigningKeys, type SigningKeys } from '../../src/sessions/index.js';
import { Secret } from '../../src/secret.js';

export async function testSigningKeys(): Promise<SigningKeys> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  return loadSigningKeys({ signingKey: new Secret(pem), dataDir: '/nonexistent', log: pino({ level: 'silent' }) });
}
