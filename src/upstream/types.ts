/**
 * The Upstream contract: what the gateway needs from a system of record.
 * Knows nothing of OAuth or MCP; every call acts with the signed-in person's upstream token.
 */

export interface UpstreamLocation {
  id: string;
  name: string;
}

export interface UpstreamAccount {
  id: string;
  email: string;
  name: string;
  /** Upstream roles, e.g. `admin`, `member`, `read_only`. */
  roles: string[];
  /** Locations this account can see upstream. */
  locations: UpstreamLocation[];
  /** True when the upstream refuses every write for this account. */
  readOnly: boolean;
}

export interface SignInResult {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  account: UpstreamAccount;
}

export type FieldType = 'id' | 'string' | 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'enum';

export interface EntityField {
  name: string;
  type: FieldType;
  description: string;
  /** PII category name (NAME, EMAIL, PHONE, ADDRESS, DOB, SOCIAL, FINANCIAL, ID_DOC, BIO) or null. */
  pii: string | null;
  filterable: boolean;
  readOnly: boolean;
  required: boolean;
  enum?: string[];
  /** Entity type this field points to, for id fields. */
  references?: string;
}

export interface EntityCommand {
  name: string;
  description: string;
  destructive: boolean;
}

export interface EntitySummary {
  type: string;
  title: string;
  description: string;
}

export interface EntityType extends EntitySummary {
  fields: EntityField[];
  commands: EntityCommand[];
}

export type FilterScalar = string | number | boolean | null;
export type FilterValue =
  | FilterScalar
  | {
      eq?: FilterScalar;
      ne?: FilterScalar;
      gt?: string | number;
      gte?: string | number;
      lt?: string | number;
      lte?: string | number;
      in?: FilterScalar[];
      contains?: string;
    };

export interface SearchQuery {
  filter?: Record<string, FilterValue>;
  /** Free-text match over the record's text fields. */
  q?: string;
  /** Field name, `-field` for descending. */
  sort?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export type EntityRecord = { id: string } & Record<string, unknown>;

export interface SearchPage {
  records: EntityRecord[];
  page: number;
  pageSize: number;
  total: number;
  hasMore: boolean;
}

export interface CommandResult {
  message: string;
  record?: EntityRecord;
}

export interface Upstream {
  /** Throws InvalidCredentialsError on a wrong email or password. */
  signIn(email: string, password: string): Promise<SignInResult>;
  me(token: string): Promise<UpstreamAccount>;
  /** Ends an upstream token we no longer need (RFC 7009); an upstream that cannot is not an error worth more than a log line. */
  revoke(token: string): Promise<void>;
  listEntities(token: string): Promise<EntitySummary[]>;
  describe(token: string, type: string): Promise<EntityType>;
  search(token: string, type: string, query: SearchQuery): Promise<SearchPage>;
  /**
   * The same search, its page as the upstream sent it (UTF-8 JSON, unchecked), for a caller that
   * parses and checks it elsewhere (parseSearchPage), e.g. in a result worker. Errors as search().
   * Whoever reads it last gives it back with giveBackBody, so a large one's buffer holds the next.
   */
  searchBody(token: string, type: string, query: SearchQuery): Promise<Buffer>;
  get(token: string, type: string, id: string): Promise<EntityRecord>;
  create(token: string, type: string, data: Record<string, unknown>): Promise<EntityRecord>;
  update(token: string, type: string, id: string, data: Record<string, unknown>): Promise<EntityRecord>;
  delete(token: string, type: string, id: string): Promise<void>;
  runCommand(token: string, type: string, id: string, command: string, args?: Record<string, unknown>): Promise<CommandResult>;
  /** Cheap reachability probe for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
