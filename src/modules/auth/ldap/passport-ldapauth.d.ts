// passport-ldapauth ships no types; this covers the part Model Prism uses.
declare module 'passport-ldapauth' {
  export interface LdapServerOptions {
    url: string;
    bindDN?: string;
    bindCredentials?: string;
    searchBase: string;
    searchFilter: string;
    searchScope?: 'base' | 'one' | 'sub';
    searchAttributes?: string[];
    bindProperty?: string;
    groupSearchBase?: string;
    groupSearchFilter?: string | ((user: Record<string, unknown>) => string);
    groupSearchScope?: 'base' | 'one' | 'sub';
    groupSearchAttributes?: string[];
    groupDnProperty?: string;
    tlsOptions?: Record<string, unknown>;
    starttls?: boolean;
    timeout?: number;
    connectTimeout?: number;
    reconnect?: boolean;
  }

  export interface StrategyOptions {
    server: LdapServerOptions;
    credentialsLookup?: (req: unknown) => { username: string; password: string } | null;
    handleErrorsAsFailures?: boolean;
  }

  export default class Strategy {
    constructor(options: StrategyOptions);
    name: string;
    authenticate(req: unknown, options?: Record<string, unknown>): void;
  }
}
