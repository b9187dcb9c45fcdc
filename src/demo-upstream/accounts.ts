/**
 * The demo upstream's four accounts, their argon2id password hashes (computed at start, never
 * stored in plain text) and password verification. Unknown e-mails are verified against a dummy
 * hash so a wrong address costs as much time as a wrong password.
 */
import { randomBytes } from 'node:crypto';
import { LOCATIONS, LOCATION_ADMIN_LOCATION } from './locations.js';
import { inProcessHasher, type Argon2Params, type PasswordHasher } from './password-hasher.js';

export type { Argon2Params } from './password-hasher.js';

export const DEMO_ACCOUNT_EMAILS = {
  admin: 'admin@example.com',
  locationAdmin: 'location-admin@example.com',
  readOnly: 'readonly@example.com',
  member: 'member@example.com',
} as const;

export const DEFAULT_DEMO_PASSWORD = 'demo-password';

/** OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane. */
export const DEFAULT_ARGON2_PARAMS: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export interface DemoAccount {
  id: string;
  email: string;
  name: string;
  roles: string[];
  /** Ids of the locations the account can see and change. */
  locationIds: string[];
  /** True when the account sees every location, including ones created later. */
  allLocations: boolean;
  readOnly: boolean;
}

interface AccountSeed extends DemoAccount {
  passwordHash: string;
}

const ALL_LOCATION_IDS = LOCATIONS.map((l) => l.id);

const ACCOUNTS: readonly DemoAccount[] = [
  {
    id: 'usr_admin',
    email: DEMO_ACCOUNT_EMAILS.admin,
    name: 'Alex Admin',
    roles: ['admin'],
    locationIds: ALL_LOCATION_IDS,
    allLocations: true,
    readOnly: false,
  },
  {
    id: 'usr_location_admin',
    email: DEMO_ACCOUNT_EMAILS.locationAdmin,
    name: 'Lee Location-Admin',
    roles: ['admin'],
    locationIds: [LOCATION_ADMIN_LOCATION.id],
    allLocations: false,
    readOnly: false,
  },
  {
    id: 'usr_readonly',
    email: DEMO_ACCOUNT_EMAILS.readOnly,
    name: 'Robin Read-Only',
    roles: ['admin', 'read_only'],
    locationIds: ALL_LOCATION_IDS,
    allLocations: true,
    readOnly: true,
  },
  {
    id: 'usr_member',
    email: DEMO_ACCOUNT_EMAILS.member,
    name: 'Morgan Member',
    roles: ['member'],
    locationIds: ['loc_01'],
    allLocations: false,
    readOnly: false,
  },
];

export interface AccountDirectory {
  /** The account when the e-mail (trimmed, any case) and password match; undefined otherwise. */
  verifyCredentials(email: string, password: string): Promise<DemoAccount | undefined>;
  verifyPassword(accountId: string, password: string): Promise<boolean>;
  setPassword(accountId: string, password: string): Promise<void>;
  findById(accountId: string): DemoAccount | undefined;
  /** Stops the hasher (its process, when it has one). */
  close(): Promise<void>;
}

export async function createAccountDirectory(
  password: string,
  params: Argon2Params,
  hasher: PasswordHasher = inProcessHasher(),
): Promise<AccountDirectory> {
  const hash = (plain: string): Promise<string> => hasher.hash(plain, params);
  const [dummyHash, ...hashes] = await Promise.all([
    hash(randomBytes(16).toString('hex')),
    ...ACCOUNTS.map(() => hash(password)),
  ]);
  const byId = new Map<string, AccountSeed>(ACCOUNTS.map((a, i) => [a.id, { ...a, passwordHash: hashes[i]! }]));
  const byEmail = new Map<string, AccountSeed>([...byId.values()].map((a) => [a.email, a]));
  const strip = ({ passwordHash: _, ...account }: AccountSeed): DemoAccount => account;

  return {
    async verifyCredentials(email, plain) {
      const account = byEmail.get(email.trim().toLowerCase());
      const matches = await hasher.verify(account?.passwordHash ?? dummyHash!, plain);
      return account && matches ? strip(account) : undefined;
    },
    async verifyPassword(accountId, plain) {
      const account = byId.get(accountId);
      return account ? hasher.verify(account.passwordHash, plain) : false;
    },
    async setPassword(accountId, plain) {
      const account = byId.get(accountId);
      if (account) account.passwordHash = await hash(plain);
    },
    findById(accountId) {
      const account = byId.get(accountId);
      return account ? strip(account) : undefined;
    },
    close: () => hasher.close(),
  };
}

/** `GET /api/me`: the account as the gateway's UpstreamAccount. */
export function toPublicAccount(account: DemoAccount) {
  return {
    id: account.id,
    email: account.email,
    name: account.name,
    roles: account.roles,
    locations: LOCATIONS.filter((l) => account.locationIds.includes(l.id)).map((l) => ({ id: l.id, name: l.name })),
    readOnly: account.readOnly,
  };
}
